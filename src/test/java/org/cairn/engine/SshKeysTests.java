// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** root's authorized keys are parsed as sshd would: real keys of every kind OpenSSH makes, and what is not one. */
class SshKeysTests {

	/** A public key line made by ssh-keygen. */
	private static String generate(String type, int bits) throws Exception {
		Path dir = Files.createTempDirectory("cairn-test-keys-");
		try {
			List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", "me@laptop", "-t", type,
					"-f", dir.resolve("key").toString()));
			if (bits > 0) {
				command.addAll(List.of("-b", Integer.toString(bits)));
			}
			TestEngine.run(command.toArray(String[]::new));
			return Files.readString(dir.resolve("key.pub")).strip();
		}
		finally {
			Trees.delete(dir);
		}
	}

	@Test
	void keysOfEveryKindOpenSshMakesAreTakenWithOptionsAndComments() throws Exception {
		String ed25519 = generate("ed25519", 0);
		String ecdsa = generate("ecdsa", 384);
		String rsa = generate("rsa", 3072);
		String withOptions = "from=\"10.0.0.0/8,192.0.2.1\",command=\"echo hi there\",no-pty " + ed25519;
		List<String> keys = SshKeys.parse(String.join("\n", "# my keys", ed25519, "", ecdsa, rsa, withOptions));
		assertThat(keys).containsExactly(ed25519, ecdsa, rsa, withOptions);
		assertThat(keys.get(0)).endsWith(" me@laptop");
	}

	@Test
	void weakDamagedOrForeignKeysAreRefusedNamingTheLine() throws Exception {
		String rsa1024 = generate("rsa", 1024);
		assertThatThrownBy(() -> SshKeys.parse(generate("ed25519", 0) + "\n" + rsa1024))
			.hasMessageStartingWith("ssh-key: line 2:").hasMessageContaining("1024 bits is too weak");
		String ed25519 = generate("ed25519", 0);
		String[] parts = ed25519.split(" ");
		assertThatThrownBy(() -> SshKeys.parse(parts[0] + " " + parts[1].substring(0, 30) + " x"))
			.hasMessageStartingWith("ssh-key:");
		assertThatThrownBy(() -> SshKeys.parse("ssh-rsa " + parts[1])).hasMessageContaining("says it is ssh-ed25519");
		assertThatThrownBy(() -> SshKeys.parse(generate("dsa", 0))).hasMessageContaining("not an OpenSSH public key type");
		assertThatThrownBy(() -> SshKeys.parse("-----BEGIN OPENSSH PRIVATE KEY-----"))
			.hasMessageContaining("not an OpenSSH public key type");
		assertThatThrownBy(() -> SshKeys.parse("x".repeat(200_000))).hasMessage("ssh-key: at most 64 KB of keys");
		assertThatThrownBy(() -> SshKeys.parse((ed25519 + "\n").repeat(17))).hasMessage("ssh-key: at most 16 keys");
		assertThatThrownBy(() -> SshKeys.parse("no-pty,command=\"unclosed " + ed25519)).hasMessageContaining("quote");
	}
}
