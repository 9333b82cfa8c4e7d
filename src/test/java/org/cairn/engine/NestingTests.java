// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.network.VeNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nesting: a VE allowed it runs containers of its own (Debian's crun, a busybox container made from files the
 * test provides, in PID, network and user namespaces of its own); a VE without it cannot. The VE's own
 * isolation holds either way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NestingTests {

	private static final long MB = 1L << 20;

	/** A busybox container printing its pid, its network links and how many processes it sees. */
	private static final String BUNDLE = "mkdir -p /root/bundle/rootfs/bin /root/bundle/rootfs/proc /root/bundle/rootfs/sys"
			+ " /root/bundle/rootfs/dev /root/bundle/rootfs/tmp && cd /root/bundle && chmod 755 rootfs/bin/busybox"
			+ " && for a in sh echo cat ls cut tail grep; do ln -sf busybox rootfs/bin/$a; done && crun spec --rootless"
			+ " && sed -i 's/\"terminal\": true/\"terminal\": false/; s#\"sh\"#\"sh\", \"-c\", \"echo pid $$;"
			+ " cat /proc/net/dev | tail -n +3 | cut -d: -f1; ls /proc | grep -c ^[0-9]\"#' config.json";

	private TestNode node;

	private TestEngine test;

	private Path debs;

	@BeforeAll
	void prepare() throws Exception {
		node = TestNode.create();
		test = TestEngine.create("auto", node.network());
		test.installTemplate("debian-12");
		// crun and what it needs beyond the template, from the mirror the node's apt uses
		debs = Files.createTempDirectory("cairn-nesting-debs-");
		Process download = new ProcessBuilder("apt-get", "download", "crun", "libyajl2").directory(debs.toFile())
			.redirectErrorStream(true).start();
		String out = new String(download.getInputStream().readAllBytes());
		assertThat(download.waitFor(5, TimeUnit.MINUTES) && download.exitValue() == 0).as("apt-get download: " + out).isTrue();
	}

	@AfterAll
	void close() {
		try {
			test.close();
			Trees.delete(debs);
		}
		finally {
			node.close();
		}
	}

	private void copyIn(String ve, Path file, String target) throws Exception {
		Process copy = test.engine.exec(ve, List.of("/bin/sh", "-c", "cat > " + target)).redirectInput(file.toFile()).start();
		assertThat(copy.waitFor()).isZero();
	}

	private void installCrun(String ve) throws Exception {
		try (var files = Files.list(debs)) {
			for (Path deb : files.toList()) {
				copyIn(ve, deb, "/root/" + deb.getFileName());
			}
		}
		TestEngine.Result dpkg = test.sh(ve, "dpkg -i /root/*.deb");
		assertThat(dpkg.exitCode()).as(dpkg.output()).isZero();
		test.sh(ve, "mkdir -p /root/bundle/rootfs/bin");
		copyIn(ve, Path.of("/bin/busybox"), "/root/bundle/rootfs/bin/busybox");
		TestEngine.Result bundle = test.sh(ve, BUNDLE);
		assertThat(bundle.exitCode()).as(bundle.output()).isZero();
	}

	@Test
	void aNestingVeRunsContainersAndStaysIsolated() throws Exception {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("plain", "debian-12", null, null, null, ResourceLimits.NONE.withMemory(512 * MB)));
		engine.create(new VeSpec("nest", "debian-12", null, null, null, ResourceLimits.NONE.withMemory(512 * MB),
				new VeNetwork(List.of(VeNetwork.parseAddress("ip", "198.51.100.80")), List.of(), 0)));
		engine.setNesting("nest", true);
		assertThat(engine.nesting("nest")).isTrue();
		assertThat(engine.nesting("plain")).isFalse();
		engine.start("plain");
		engine.start("nest");
		for (String ve : List.of("plain", "nest")) {
			assertThat(SystemdTemplateTests.bootState(test, ve)).isEqualTo("running");
			installCrun(ve);
		}

		// without nesting: no user or network namespace of its own, so no container
		assertThat(test.sh("plain", "unshare -U -r true 2>&1").output()).contains("Operation not permitted");
		TestEngine.Result refused = test.sh("plain", "cd /root/bundle && crun run c1 2>&1");
		assertThat(refused.exitCode()).isNotZero();

		// with it: a container with its own PID and network namespaces (only lo), seeing its own processes only
		TestEngine.Result nested = test.sh("nest", "cd /root/bundle && crun run c1 2>&1");
		assertThat(nested.exitCode()).as(nested.output()).isZero();
		List<String> lines = nested.output().lines().map(String::strip).toList();
		assertThat(lines.get(0)).isEqualTo("pid 1");
		assertThat(lines.get(1)).isEqualTo("lo");
		assertThat(Integer.parseInt(lines.get(2))).as("processes the container sees").isLessThan(5);

		// the VE's own isolation holds, from the VE and from a user namespace nested in it
		for (String prefix : List.of("", "unshare -U -r ")) {
			assertThat(test.sh("nest", prefix + "ip addr add 198.51.100.99/32 dev eth0").exitCode())
				.as("%sip addr add", prefix).isNotZero();
			assertThat(test.sh("nest", prefix + "sh -c 'echo 1 > /proc/sys/kernel/sysrq'").exitCode())
				.as("%swrite /proc/sys", prefix).isNotZero();
			assertThat(test.sh("nest", prefix + "sh -c 'echo 1 > /sys/kernel/mm/ksm/run'").exitCode())
				.as("%swrite /sys", prefix).isNotZero();
		}
		assertThat(test.sh("nest", "ip -4 -br addr show eth0").output()).contains("198.51.100.80/32")
			.doesNotContain("198.51.100.99");
		assertThat(test.sh("nest", "ps -eo comm=").output()).as("no process of the node").doesNotContain("java")
			.doesNotContain("cairn-launcher");
		assertThat(test.sh("nest", "unshare -U -r -p -f --mount-proc ps -eo comm=").output().lines().count())
			.as("a nested PID namespace sees its own").isLessThan(3);
		engine.destroy("plain");
		engine.destroy("nest");
	}
}
