// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.Template;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debian-12-sysvinit template, built by debootstrap from Debian's mirror (about 30 s here): every run of
 * the suite builds it, so a change of the builder is always exercised. A VE made from it boots sysvinit, runs
 * sshd with host keys of its own, and powers off cleanly when stopped. The systemd templates: SystemdTemplateTests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianTemplateTests {

	private TestNode node;

	private TestEngine test;

	private Path keys;

	@BeforeAll
	void build() throws Exception {
		node = TestNode.create();
		test = TestEngine.create("auto", node.network());
		keys = Files.createTempDirectory("cairn-ssh-test-");
		TestEngine.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id").toString());
	}

	@AfterAll
	void close() {
		try {
			test.close();
			Trees.delete(keys);
		}
		finally {
			node.close();
		}
	}

	private String readKey() {
		try {
			return Files.readString(keys.resolve("id.pub"));
		}
		catch (java.io.IOException ex) {
			throw new AssertionError(ex);
		}
	}

	@Test
	void debianVesBootWithTheirOwnSshHostKeysAndStopCleanly() {
		VeEngine engine = test.engine;
		Template template = engine.buildTemplate("debian-12-sysvinit");
		assertThat(template.description()).contains("Debian 12").contains("sysvinit");
		assertThat(template.initSystem()).isEqualTo(org.cairn.engine.template.InitSystem.SYSVINIT);
		assertThat(engine.templates()).extracting(Template::name).contains("busybox", "debian-12-sysvinit");

		engine.create(new VeSpec("deb-a", "debian-12-sysvinit", "deb-a.example.com", "Pass-For-Deb-1", null,
				ResourceLimits.NONE.withMemory(256L << 20)));
		engine.create(new VeSpec("deb-b", "debian-12-sysvinit", null, null, readKey(), ResourceLimits.NONE,
				new VeNetwork(List.of(VeNetwork.parseAddress("ip", "198.51.100.60")), List.of(), 0)));
		engine.start("deb-a");
		engine.start("deb-b");
		for (String ve : new String[] { "deb-a", "deb-b" }) {
			TestEngine.waitFor(() -> test.sh(ve, "pgrep -x sshd").exitCode() == 0, Duration.ofSeconds(30),
					"sshd runs in " + ve);
		}
		assertThat(test.sh("deb-a", ". /etc/os-release; echo $VERSION_CODENAME; hostname").output())
			.isEqualTo("bookworm\ndeb-a.example.com\n");
		assertThat(test.sh("deb-a", "ps -o comm= -p 1").output().strip()).isEqualTo("init");
		assertThat(test.sh("deb-a", "free -m | awk '/Mem:/ {print $2}'").output().strip()).as("procps free, via lxcfs")
			.isEqualTo("256");
		String keyA = test.sh("deb-a", "cat /etc/ssh/ssh_host_ed25519_key.pub").output();
		String keyB = test.sh("deb-b", "cat /etc/ssh/ssh_host_ed25519_key.pub").output();
		assertThat(keyA).startsWith("ssh-ed25519 ");
		assertThat(keyA).as("no VE shares another's host key").isNotEqualTo(keyB);
		assertThat(test.sh("deb-a", "grep -c '^root:\\$6\\$' /etc/shadow").output().strip()).isEqualTo("1");
		assertThat(test.sh("deb-a", "ls /dev/ | tr '\\n' ' '").output()).doesNotContain("tty1");

		// a customer's first step: ssh to the VE's own address with their key
		String login = node.run("ssh", "-i", keys.resolve("id").toString(), "-o", "BatchMode=yes", "-o",
				"StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
				"root@198.51.100.60", "hostname; id -u");
		assertThat(login).endsWith("deb-b\n0\n");

		assertThat(engine.stop("deb-a", Duration.ofSeconds(30)).state()).isEqualTo(VeState.STOPPED);
		assertThat(engine.status("deb-b").state()).isEqualTo(VeState.RUNNING);
	}
}
