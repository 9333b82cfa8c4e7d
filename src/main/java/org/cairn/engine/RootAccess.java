// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * How the VE's root signs in: a password (SHA-512 crypt in /etc/shadow) and/or an SSH public key
 * (/root/.ssh/authorized_keys), written into the VE's own layer and owned by its root.
 */
final class RootAccess {

	/** Short enough to type on a console, long enough that a scan of SSH passwords does not find it at once. */
	static final int MIN_PASSWORD = 8;

	private RootAccess() {
	}

	static void checkPassword(@Nullable String password) {
		if (password == null) {
			return;
		}
		if (password.length() < MIN_PASSWORD || password.length() > 256 || password.chars().anyMatch(c -> c < 0x20)) {
			throw new EngineException("root-password: must be " + MIN_PASSWORD + " to 256 printable characters");
		}
	}

	static void checkKey(@Nullable String key) {
		if (key == null) {
			return;
		}
		SshKeys.parse(key);
	}

	/** Writes root's password hash and authorized keys into the VE's upper layer. */
	static void apply(Path upper, Path templateRootfs, long uid, @Nullable String password, @Nullable String key)
			throws IOException {
		if (password != null) {
			Path shadow = upper.resolve("etc/shadow");
			Path source = Files.exists(shadow) ? shadow : templateRootfs.resolve("etc/shadow");
			String text = Files.exists(source) ? Files.readString(source) : "";
			Files.createDirectories(shadow.getParent());
			Files.writeString(shadow, withRootHash(text, hash(password)));
			Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));
			Ownership.chown(shadow, uid);
		}
		if (key != null) {
			Path root = upper.resolve("root");
			Path ssh = root.resolve(".ssh");
			Files.createDirectories(ssh);
			Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
			Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
			Path keys = Files.writeString(ssh.resolve("authorized_keys"), String.join("\n", SshKeys.parse(key)) + "\n");
			Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
			Ownership.chown(root, uid);
			Ownership.chown(ssh, uid);
			Ownership.chown(keys, uid);
		}
	}

	/** Sets root's password and/or keys in a VE's files (running or not), as the VE's root. */
	static void apply(VeFiles files, @Nullable String password, @Nullable String key) {
		checkPassword(password);
		checkKey(key);
		if (password != null) {
			String hash = hash(password);
			files.write("/etc/shadow", withRootHash(files.read("/etc/shadow").orElse(""), hash), "600");
		}
		if (key != null) {
			files.makeDirectory("/root/.ssh", "700");
			files.write("/root/.ssh/authorized_keys", String.join("\n", SshKeys.parse(key)) + "\n", "600");
		}
	}

	/** The shadow file with root's password hash replaced, or root's line added first when it has none. */
	static String withRootHash(String shadow, String hash) {
		List<String> lines = new ArrayList<>(shadow.lines().toList());
		boolean replaced = false;
		for (int i = 0; i < lines.size(); i++) {
			String[] fields = lines.get(i).split(":", -1);
			if (fields.length > 1 && fields[0].equals("root")) {
				fields[1] = hash;
				lines.set(i, String.join(":", fields));
				replaced = true;
			}
		}
		if (!replaced) {
			lines.add(0, "root:" + hash + ":19000:0:99999:7:::");
		}
		return String.join("\n", lines) + "\n";
	}

	/** SHA-512 crypt, by Debian's busybox (the same binary the busybox template is made of). */
	static String hash(String password) {
		if (!Files.isExecutable(Path.of("/bin/busybox"))) {
			throw new EngineException("Cannot hash the root password: install busybox-static");
		}
		// the password on the program's input, never on its command line
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command("/bin/busybox", "mkpasswd", "-m", "sha512"),
				Duration.ofSeconds(30), password.getBytes(StandardCharsets.UTF_8));
		String out = result.out().strip();
		if (result.exitCode() != 0 || !out.startsWith("$6$")) {
			throw new EngineException("Cannot hash the root password with busybox mkpasswd: " + result.text());
		}
		return out;
	}
}
