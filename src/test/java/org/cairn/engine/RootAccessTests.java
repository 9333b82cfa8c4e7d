// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Root's password and SSH key given at create; setuid programs work inside, as on a real server. */
class RootAccessTests extends EngineTest {

	private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test@cairn";

	@Test
	void rootPasswordAndKeyAreInstalled() {
		test.engine.create(new VeSpec("keyed", "busybox", null, "Correct-Horse-9", KEY));
		test.engine.start("keyed");
		String shadowHash = test.sh("keyed", "grep ^root: /etc/shadow | cut -d: -f2").output().strip();
		assertThat(shadowHash).startsWith("$6$");
		String salt = shadowHash.split("\\$")[2];
		assertThat(test.sh("keyed", "mkpasswd -m sha512 -S " + salt + " Correct-Horse-9").output().strip())
			.as("the hash is of the given password").isEqualTo(shadowHash);
		assertThat(test.sh("keyed", "stat -c '%a %u' /etc/shadow /root/.ssh /root/.ssh/authorized_keys").output())
			.isEqualTo("600 0\n700 0\n600 0\n");
		assertThat(test.sh("keyed", "cat /root/.ssh/authorized_keys").output()).isEqualTo(KEY + "\n");
	}

	@Test
	void badPasswordsAndKeysAreRefused() {
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, "", null)).hasMessageStartingWith("root-password:");
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, "a\nb", null)).hasMessageStartingWith("root-password:");
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, null, "not a key")).hasMessageStartingWith("ssh-key:");
		assertThat(new VeSpec("x", "busybox", null, "secret", null).toString()).doesNotContain("secret");
	}

	@Test
	void setuidProgramsKeepWorkingInside() throws Exception {
		test.engine.create(new VeSpec("suid", "busybox", null));
		test.engine.start("suid");
		test.installHelper("suid", "euid.c", "euid");
		test.sh("suid", "echo 'alice:x:1000:1000::/tmp:/bin/sh' >> /etc/passwd; cp /usr/bin/euid /usr/bin/euid-plain;"
				+ " chmod 4755 /usr/bin/euid; chmod 755 /usr/bin/euid-plain");
		assertThat(test.sh("suid", "su alice -c /usr/bin/euid").output()).isEqualTo("1000 0\n");
		assertThat(test.sh("suid", "su alice -c /usr/bin/euid-plain").output()).isEqualTo("1000 1000\n");
		assertThat(test.sh("suid", "grep NoNewPrivs /proc/self/status").output()).contains("0");
	}
}
