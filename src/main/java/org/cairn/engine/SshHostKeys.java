// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A VE's own SSH host keys, made on the node when its files are made (as Proxmox VE does for its containers):
 * its first boot then starts sshd at once instead of waiting for an RSA key. Only for a template with OpenSSH's
 * server, and only where the node has ssh-keygen; otherwise the VE makes them at its first boot, as before.
 */
final class SshHostKeys {

	private static final Path KEYGEN = Path.of("/usr/bin/ssh-keygen");

	private SshHostKeys() {
	}

	static void make(Path upper, Path template, long uidBase) throws IOException {
		if (!Files.exists(template.resolve("usr/sbin/sshd")) || !Files.isExecutable(KEYGEN)) {
			return;
		}
		Path scratch = Files.createTempDirectory(upper.getParent(), ".ssh-keys-");
		try {
			Files.createDirectories(scratch.resolve("etc/ssh"));
			// -A with -f: every key type, under the prefix
			HelperProcess.Output made = HelperProcess.run(
					HelperProcess.command(KEYGEN.toString(), "-A", "-f", scratch.toString()), Duration.ofMinutes(1));
			if (made.exitCode() != 0) {
				throw new EngineException("Cannot make the VE's SSH host keys: " + made.text());
			}
			Path ssh = upper.resolve("etc/ssh");
			Files.createDirectories(ssh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
			setOwner(upper.resolve("etc"), uidBase);
			setOwner(ssh, uidBase);
			try (Stream<Path> keys = Files.list(scratch.resolve("etc/ssh"))) {
				for (Path key : keys.toList()) {
					Path target = Files.move(key, ssh.resolve(key.getFileName()));
					setOwner(target, uidBase);
					Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
							key.getFileName().toString().endsWith(".pub") ? "rw-r--r--" : "rw-------"));
				}
			}
		}
		finally {
			Trees.delete(scratch);
		}
	}

	private static void setOwner(Path path, long uid) throws IOException {
		for (String attribute : List.of("unix:uid", "unix:gid")) {
			Files.setAttribute(path, attribute, (int) uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
		}
	}
}
