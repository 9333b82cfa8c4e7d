// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Limits attacked from inside a running VE, with a second VE and the host watching; on the host's cgroup
 * driver (v1 on this build machine, v2 on a pure-v2 server).
 */
class LimitsTests extends EngineTest {

	private static final long MB = 1L << 20;

	@BeforeEach
	void startANeighbour() {
		engine.create(new VeSpec("neighbour", "busybox", null));
		engine.start("neighbour");
	}

	private static ResourceLimits memory(long bytes) {
		return ResourceLimits.NONE.withMemory(bytes);
	}

	/** A process that holds {@code mb} MB of memory: busybox tail keeps a line without newline whole. */
	private static String hog(int mb) {
		return "head -c " + mb + "m /dev/zero | tail > /dev/null; echo exit=$?";
	}

	@Test
	void aMemoryHogIsKilledInsideItsVeOnly() {
		engine.create(new VeSpec("hog", "busybox", null, null, null, memory(64 * MB)));
		long init = engine.start("hog").initPid().getAsLong();
		String result = test.sh("hog", hog(200)).output();
		assertThat(result).as("the hog was killed").doesNotContain("exit=0");
		assertThat(engine.status("hog").state()).isEqualTo(VeState.RUNNING);
		assertThat(engine.status("hog").initPid().getAsLong()).isEqualTo(init);
		assertThat(engine.usage("hog").oomKills()).isGreaterThanOrEqualTo(1);
		assertThat(engine.usage("hog").memoryPeakBytes()).isLessThanOrEqualTo(64 * MB);
		assertThat(test.sh("neighbour", hog(100)).output()).as("the neighbour has its memory").contains("exit=0");
		assertThat(engine.usage("neighbour").oomKills()).isZero();
	}

	@Test
	void raisingMemoryOnARunningVeTakesEffectWithoutARestart() {
		engine.create(new VeSpec("grow", "busybox", null, null, null, memory(64 * MB)));
		long init = engine.start("grow").initPid().getAsLong();
		assertThat(test.sh("grow", hog(100)).output()).doesNotContain("exit=0");
		engine.set("grow", memory(256 * MB));
		assertThat(engine.limits("grow").memoryBytes()).isEqualTo(256 * MB);
		assertThat(test.sh("grow", hog(100)).output()).contains("exit=0");
		assertThat(engine.status("grow").initPid().getAsLong()).as("no restart").isEqualTo(init);
	}

	@Test
	void manyVesOpenInotifyInstancesTogether() throws Exception {
		// every VE's inotify instances count against the node's root: systemd needs several per VE
		engine.create(new VeSpec("watch-a", "busybox", null));
		engine.create(new VeSpec("watch-b", "busybox", null));
		engine.start("watch-a");
		engine.start("watch-b");
		test.installHelper("watch-a", "inotify_many.c", "inotify-many");
		test.installHelper("watch-b", "inotify_many.c", "inotify-many");
		test.sh("watch-a", "inotify-many 300 20 > /tmp/held & sleep 1");
		TestEngine.waitFor(() -> test.sh("watch-a", "cat /tmp/held").output().equals("300\n"), Duration.ofSeconds(10),
				"the first VE holds 300 instances");
		assertThat(test.sh("watch-b", "inotify-many 300").output()).as("a second VE gets as many meanwhile")
			.isEqualTo("300\n");
	}

	@Test
	void aForkBombStopsAtTheProcessLimit() {
		engine.create(new VeSpec("bomb", "busybox", null, null, null, new ResourceLimits(0, 0, 0, 0, 100, 32)));
		engine.start("bomb");
		String bomb = test.sh("bomb", "i=0; while [ $i -lt 300 ]; do sleep 3 & i=$((i+1)); done 2>&1 | grep -c fork;"
				+ " cat /sys/fs/cgroup/pids.current 2>/dev/null; true").output();
		// the shell itself may be refused a fork after the loop (its message comes first): the count is a number line
		assertThat(Long.parseLong(bomb.lines().map(String::strip).filter(l -> l.matches("\\d+")).findFirst().orElse("0")))
			.as("forks were refused: %s", bomb)
			.isPositive();
		assertThat(engine.usage("bomb").processes()).isLessThanOrEqualTo(32);
		assertThat(test.sh("neighbour", "echo responsive").output()).isEqualTo("responsive\n");
		TestEngine.waitFor(() -> test.sh("bomb", "echo back").output().equals("back\n"), Duration.ofSeconds(20),
				"the VE answers again once the sleeps end");
	}

	@Test
	void aCpuHogCappedAtFiftyPercentUsesHalfACpu() throws Exception {
		engine.create(new VeSpec("capped", "busybox", null, null, null, new ResourceLimits(0, 0, 0, 50, 100, 0)));
		engine.start("capped");
		test.sh("capped", "(while :; do :; done) >/dev/null 2>&1 & (while :; do :; done) >/dev/null 2>&1 &");
		engine.usage("capped");
		Thread.sleep(3000);
		double percent = engine.usage("capped").cpuPercent();
		assertThat(percent).as("CPU %% of one CPU").isBetween(40.0, 60.0);
		assertThat(test.sh("neighbour", "echo responsive").output()).isEqualTo("responsive\n");
	}

	@Test
	void weightsShareABusyNodeAboutOneToThree() throws Exception {
		engine.create(new VeSpec("light", "busybox", null, null, null, new ResourceLimits(0, 0, 0, 0, 100, 0)));
		engine.create(new VeSpec("heavy", "busybox", null, null, null, new ResourceLimits(0, 0, 0, 0, 300, 0)));
		engine.start("light");
		engine.start("heavy");
		// more busy loops than CPUs in each VE: the node is saturated and the weights decide
		String loops = "for i in 1 2 3 4; do (while :; do :; done) >/dev/null 2>&1 & done";
		test.sh("light", loops);
		test.sh("heavy", loops);
		Thread.sleep(1000);
		engine.usage("light");
		engine.usage("heavy");
		// 8 s: over a shorter window the node's own work (CI runs a panel beside the tests) tilted one run to 2.1
		Thread.sleep(8000);
		double light = engine.usage("light").cpuPercent();
		double heavy = engine.usage("heavy").cpuPercent();
		// equal shares would be 1; 3:1 weights give 3 on an idle node, and at least 2 on a busy one
		assertThat(heavy / light).as("heavy %.0f%% / light %.0f%%".formatted(heavy, light)).isBetween(2.0, 4.0);
	}

	@Test
	void badLimitsAreRefusedAndChangeNothing() {
		engine.create(new VeSpec("strict", "busybox", null, null, null, memory(64 * MB)));
		engine.start("strict");
		assertThatThrownBy(() -> ResourceLimits.parseSize("memory", "-5M")).hasMessageStartingWith("memory:");
		assertThatThrownBy(() -> ResourceLimits.parseSize("memory", "lots")).hasMessageStartingWith("memory:");
		assertThatThrownBy(() -> ResourceLimits.parsePercent("cpu-limit", "half")).hasMessageStartingWith("cpu-limit:");
		assertThatThrownBy(() -> new ResourceLimits(1 << 20, 0, 0, 0, 100, 0)).hasMessageStartingWith("memory:");
		assertThatThrownBy(() -> new ResourceLimits(0, 0, 99, 0, 100, 0)).hasMessageStartingWith("cpus:");
		assertThatThrownBy(() -> new ResourceLimits(1L << 50, 0, 0, 0, 100, 0)).hasMessageStartingWith("memory:")
			.hasMessageContaining("more than this node's");
		assertThatThrownBy(() -> engine.create(new VeSpec("huge", "busybox", null, null, null,
				ResourceLimits.NONE.withDisk(1L << 55, 0)))).hasMessageStartingWith("disk:");
		assertThat(engine.list()).extracting(VeStatus::name).doesNotContain("huge");
		assertThatThrownBy(() -> new ResourceLimits(0, 0, 0, 0, 0, 0)).hasMessageStartingWith("cpu-weight:");
		assertThatThrownBy(() -> new ResourceLimits(0, 0, 0, 0, 100, 3)).hasMessageStartingWith("pids:");
		assertThat(engine.limits("strict").memoryBytes()).isEqualTo(64 * MB);
		assertThat(ResourceLimits.parseSize("memory", "1.5G")).isEqualTo(3L << 29);
	}
}
