// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules a new password must meet: at least 12 characters, at most 128, not one of the commonly used
 * passwords (a list shipped in {@code common-passwords.txt}), not the user name, not one repeated character
 * or a keyboard run.
 */
public final class PasswordPolicy {

	public static final int MIN_LENGTH = 12;

	public static final int MAX_LENGTH = 128;

	private static final Set<String> COMMON = loadCommonPasswords();

	private static final String[] RUNS = { "0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
			"qwertyuiopasdfghjklzxcvbnmqwertyuiop", "1q2w3e4r5t6y7u8i9o0p", "9876543210987654321", "zyxwvutsrqponmlkjihgfedcba" };

	private PasswordPolicy() {
	}

	/** Why the password is refused, or empty when it is acceptable. */
	public static Optional<String> violation(String password, String username) {
		if (password == null || password.length() < MIN_LENGTH) {
			return Optional.of("must be at least " + MIN_LENGTH + " characters long");
		}
		if (password.length() > MAX_LENGTH) {
			return Optional.of("must be at most " + MAX_LENGTH + " characters long");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (COMMON.contains(lower)) {
			return Optional.of("is one of the most commonly used passwords; choose another");
		}
		if (lower.chars().distinct().count() <= 2) {
			return Optional.of("repeats too few characters; choose another");
		}
		for (String run : RUNS) {
			if (run.contains(lower)) {
				return Optional.of("is a keyboard or alphabet run; choose another");
			}
		}
		if (username != null && !username.isBlank() && lower.contains(username.toLowerCase(Locale.ROOT))) {
			return Optional.of("must not contain the user name");
		}
		return Optional.empty();
	}

	private static Set<String> loadCommonPasswords() {
		try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
			if (in == null) {
				throw new IllegalStateException("common-passwords.txt is missing from the build");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map(String::strip)
				.filter(line -> !line.isEmpty() && !line.startsWith("#"))
				.map(line -> line.toLowerCase(Locale.ROOT))
				.collect(Collectors.toUnmodifiableSet());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
