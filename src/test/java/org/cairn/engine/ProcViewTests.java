// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * free, top and uptime inside a VE show its own limits, not the node's: lxcfs (started by bin/test and
 * deploy/prerequisites.sh) computes /proc/meminfo, cpuinfo, stat and uptime from the reader's cgroups.
 */
class ProcViewTests extends EngineTest {

	@BeforeEach
	void lxcfsRuns() {
		assertThat(Path.of("/var/lib/lxcfs/proc/meminfo")).as("lxcfs runs (deploy/prerequisites.sh starts it)").exists();
	}

	@Test
	void memoryCpusAndUptimeAreTheVesOwn() throws Exception {
		test.engine.create(new VeSpec("view", "busybox", null, null, null,
				new ResourceLimits(128L << 20, 0, 1, 0, 100, 0)));
		test.engine.start("view");
		String meminfo = test.sh("view", "grep MemTotal /proc/meminfo").output();
		assertThat(meminfo.replaceAll("\\D", "")).isEqualTo("131072");
		// busybox top reads /proc/meminfo (busybox free asks sysinfo(2), which lxcfs cannot see: procps free in
		// debian-12 reads /proc/meminfo, see DebianTemplateTests)
		String top = test.sh("view", "top -bn1 | head -1").output();
		long used = Long.parseLong(top.replaceAll("(?s)^Mem: (\\d+)K used, (\\d+)K free.*", "$1"));
		long free = Long.parseLong(top.replaceAll("(?s)^Mem: (\\d+)K used, (\\d+)K free.*", "$2"));
		assertThat(used + free).as(top).isEqualTo(131072);
		assertThat(test.sh("view", "grep -c ^processor /proc/cpuinfo").output().strip()).isEqualTo("1");
		double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
		double veUptime = Double.parseDouble(test.sh("view", "cut -d' ' -f1 /proc/uptime").output().strip());
		assertThat(veUptime).as("the VE's uptime").isLessThan(60).isLessThan(hostUptime);
		// busybox uptime asks sysinfo(2), which lxcfs cannot answer: the VE's time namespace does
		assertThat(test.sh("view", "uptime").output()).contains(" up 0 min");
		// sold one CPU, it sees one: sched_getaffinity(2), as nproc reads it, lists one
		assertThat(test.sh("view", "nproc").output()).isEqualTo("1\n");
		test.engine.set("view", test.engine.limits("view").withCpus(0));
		assertThat(test.sh("view", "nproc").output()).as("no CPU limit: the node's CPUs")
			.isEqualTo(Runtime.getRuntime().availableProcessors() + "\n");
		assertThat(test.sh("view", "echo x > /proc/meminfo").exitCode()).isNotZero();
	}
}
