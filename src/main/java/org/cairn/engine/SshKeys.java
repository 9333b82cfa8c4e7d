// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * root's authorized_keys as a customer gives them: OpenSSH public key lines, each parsed as sshd would (options
 * and comments kept), of the kinds a current OpenSSH accepts: ed25519, ecdsa, rsa of 2048 bits or more and the
 * security-key ({@code sk-}) forms. At most {@value #MAX_KEYS} keys and {@value #MAX_BYTES} bytes.
 */
public final class SshKeys {

	public static final int MAX_KEYS = 16;

	public static final int MAX_BYTES = 64 * 1024;

	private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
			"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

	private SshKeys() {
	}

	/** The key lines of {@code text} (blank lines and # comments dropped), or an error naming the line at fault. */
	public static List<String> parse(String text) {
		if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			throw new EngineException("ssh-key: at most " + MAX_BYTES / 1024 + " KB of keys");
		}
		List<String> keys = new ArrayList<>();
		List<String> lines = text.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			String problem = problem(line);
			if (problem != null) {
				throw new EngineException("ssh-key: " + (lines.size() > 1 ? "line " + (i + 1) + ": " : "") + problem);
			}
			keys.add(line);
			if (keys.size() > MAX_KEYS) {
				throw new EngineException("ssh-key: at most " + MAX_KEYS + " keys");
			}
		}
		if (keys.isEmpty()) {
			throw new EngineException("ssh-key: no key line (such as 'ssh-ed25519 AAAA... me@host')");
		}
		return keys;
	}

	/** What is wrong with one line, or null. */
	private static String problem(String line) {
		String rest = skipOptions(line);
		if (rest == null) {
			return "its options are not closed (a quote is missing)";
		}
		String[] fields = rest.split("\\s+", 3);
		if (fields.length < 2 || !TYPES.contains(fields[0])) {
			String shown = fields[0].length() > 40 ? fields[0].substring(0, 40) + "..." : fields[0];
			return "'" + shown + "' is not an OpenSSH public key type this server takes (ssh-ed25519, ecdsa-sha2-nistp256,"
					+ " ssh-rsa of 2048 bits or more, or their sk- forms)";
		}
		byte[] blob;
		try {
			blob = Base64.getDecoder().decode(fields[1]);
		}
		catch (IllegalArgumentException ex) {
			return "the key is not base64";
		}
		try {
			return checkBlob(fields[0], ByteBuffer.wrap(blob));
		}
		catch (BufferUnderflowException | IllegalArgumentException ex) {
			return "the key is cut short or damaged";
		}
	}

	/** sshd's options before the key type: comma-separated, with double-quoted values that may hold spaces. */
	private static String skipOptions(String line) {
		String first = line.split("\\s+", 2)[0];
		if (TYPES.contains(first)) {
			return line;
		}
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
				quoted = !quoted;
			}
			else if (Character.isWhitespace(c) && !quoted) {
				return line.substring(i).strip();
			}
		}
		return quoted ? null : "";
	}

	private static String checkBlob(String type, ByteBuffer blob) {
		String inside = string(blob);
		if (!inside.equals(type)) {
			return "the key says it is " + (inside.length() > 40 ? "something else" : inside) + ", not " + type;
		}
		switch (type) {
			case "ssh-ed25519", "sk-ssh-ed25519@openssh.com" -> {
				if (bytes(blob).length != 32) {
					return "an ed25519 key has 32 bytes";
				}
			}
			case "ssh-rsa" -> {
				bytes(blob); // e
				int bits = new BigInteger(1, bytes(blob)).bitLength();
				if (bits < 2048) {
					return "an RSA key of " + bits + " bits is too weak: 2048 or more";
				}
			}
			default -> {
				String curve = string(blob);
				if (!type.contains(curve)) {
					return "the key's curve " + curve + " does not match " + type;
				}
				bytes(blob); // the point
			}
		}
		if (type.startsWith("sk-")) {
			string(blob); // the application, "ssh:" usually
		}
		return blob.hasRemaining() ? "the key has bytes after its end" : null;
	}

	private static byte[] bytes(ByteBuffer blob) {
		int length = blob.getInt();
		if (length < 0 || length > blob.remaining()) {
			throw new IllegalArgumentException("length");
		}
		byte[] value = new byte[length];
		blob.get(value);
		return value;
	}

	private static String string(ByteBuffer blob) {
		return new String(bytes(blob), StandardCharsets.US_ASCII);
	}
}
