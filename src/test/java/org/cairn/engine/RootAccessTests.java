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
	void passwordKeyAndHostNameChangeOnARunningAndAStoppedVe() {
		test.engine.create(new VeSpec("changed", "busybox", "old.example.net", "First-Pass-1", null,
				ResourceLimits.NONE.withDisk(64L << 20, 0)));
		test.engine.start("changed");
		test.sh("changed", "echo '10.9.9.9 db old extra' >> /etc/hosts; ln -sf /etc/passwd /root/planted");
		test.engine.setRootAccess("changed", "Second-Pass-2", KEY);
		String hash = test.sh("changed", "grep ^root: /etc/shadow | cut -d: -f2").output().strip();
		assertThat(test.sh("changed", "mkpasswd -m sha512 -S " + hash.split("\\$")[2] + " Second-Pass-2").output().strip())
			.isEqualTo(hash);
		assertThat(test.sh("changed", "cat /root/.ssh/authorized_keys; stat -c '%a %u' /etc/shadow /root/.ssh/authorized_keys")
			.output()).isEqualTo(KEY + "\n600 0\n600 0\n");
		assertThat(test.sh("changed", "grep -c root /etc/passwd").output()).as("the planted link is not followed").isEqualTo("1\n");

		test.engine.setHostname("changed", "new.example.org");
		assertThat(test.sh("changed", "hostname; cat /etc/hostname").output()).isEqualTo("new.example.org\nnew.example.org\n");
		assertThat(test.sh("changed", "cat /etc/hosts").output()).contains("127.0.1.1 new.example.org new\n")
			.contains("10.9.9.9 new.example.org new db extra\n").doesNotContain("old");
		assertThat(test.engine.status("changed").hostname()).isEqualTo("new.example.org");

		test.engine.stop("changed", java.time.Duration.ofSeconds(5));
		test.engine.setRootAccess("changed", "Third-Pass-3", null);
		test.engine.setHostname("changed", "third");
		test.engine.start("changed");
		assertThat(test.sh("changed", "hostname").output()).isEqualTo("third\n");
		String third = test.sh("changed", "grep ^root: /etc/shadow | cut -d: -f2").output().strip();
		assertThat(test.sh("changed", "mkpasswd -m sha512 -S " + third.split("\\$")[2] + " Third-Pass-3").output().strip())
			.isEqualTo(third);
		assertThatThrownBy(() -> test.engine.setHostname("changed", "bad_name")).hasMessageStartingWith("hostname:");
		assertThatThrownBy(() -> test.engine.setRootAccess("changed", null, "nope")).hasMessageStartingWith("ssh-key:");
	}

	@Test
	void reinstallGivesFreshFilesAndKeepsNameLimitsAndIdentity() {
		test.engine.create(new VeSpec("again", "busybox", "again.example.net", "Pass-Word-1", null,
				ResourceLimits.NONE.withDisk(64L << 20, 0)));
		test.engine.start("again");
		test.sh("again", "echo precious > /root/file");
		long uidBase = ((LinuxVeEngine) test.engine).record("again").uidBase();
		String id = ((LinuxVeEngine) test.engine).record("again").id();

		VeStatus status = test.engine.reinstall("again", "busybox", null, KEY, java.time.Duration.ofSeconds(5));
		assertThat(status.state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("again", "ls /root/file 2>&1; hostname; cat /root/.ssh/authorized_keys").output())
			.contains("No such file").contains("again.example.net\n").contains(KEY);
		assertThat(test.sh("again", "df -k / | tail -1 | awk '{print $2}'").output().strip()).isNotEqualTo("");
		assertThat(test.engine.limits("again").diskBytes()).isEqualTo(64L << 20);
		assertThat(((LinuxVeEngine) test.engine).record("again").uidBase()).isEqualTo(uidBase);
		assertThat(((LinuxVeEngine) test.engine).record("again").id()).as("its backups stay its own").isEqualTo(id);

		test.engine.stop("again", java.time.Duration.ofSeconds(5));
		assertThat(test.engine.reinstall("again", "busybox", "Pass-Word-2", null, java.time.Duration.ofSeconds(5)).state())
			.as("a stopped VE stays stopped").isEqualTo(VeState.STOPPED);
		assertThatThrownBy(() -> test.engine.reinstall("again", "no-such", null, null, java.time.Duration.ofSeconds(5)))
			.hasMessageContaining("no-such");
		assertThat(test.engine.status("again").state()).isEqualTo(VeState.STOPPED);
	}

	@Test
	void badPasswordsAndKeysAreRefused() {
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, "", null)).hasMessageStartingWith("root-password:");
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, "a\nb", null)).hasMessageStartingWith("root-password:");
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, null, "not a key")).hasMessageStartingWith("ssh-key:");
		assertThat(new VeSpec("x", "busybox", null, "secret-password", null).toString()).doesNotContain("secret");
		assertThatThrownBy(() -> new VeSpec("x", "busybox", null, "1", null)).as("one character").hasMessageContaining("8 to 256");
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
