// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * I/O bandwidth limits on a VE's own disk, measured from inside with direct I/O (cgroup v1 charges only
 * that to a VE; v2 also charges its page-cache writeback).
 */
class IoLimitsTests extends EngineTest {

	private static final long MB = 1L << 20;

	private double seconds(String ve, String script) {
		long t0 = System.nanoTime();
		TestEngine.Result result = test.sh(ve, script);
		double elapsed = (System.nanoTime() - t0) / 1e9;
		assertThat(result.exitCode()).as(result.output()).isZero();
		return elapsed;
	}

	@Test
	void readAndWriteBandwidthHoldAndChangeLive() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("io", "busybox", null, null, null,
				ResourceLimits.NONE.withDisk(256 * MB, 0).withIo(4 * MB, 4 * MB)));
		engine.start("io");
		// 16 MB at 4 MB/s: about 4 s
		double write = seconds("io", "dd if=/dev/zero of=/root/f bs=1M count=16 oflag=direct 2>/dev/null");
		assertThat(write).as("write of 16 MB at 4 MB/s").isBetween(2.8, 6.5);
		double read = seconds("io", "dd if=/root/f of=/dev/null bs=1M iflag=direct 2>/dev/null");
		assertThat(read).as("read of 16 MB at 4 MB/s").isBetween(2.8, 6.5);
		VeUsage.Io io = engine.usage("io").io();
		assertThat(io.writeBytes()).as("direct writes are charged to the VE").isGreaterThanOrEqualTo(16 * MB);
		assertThat(io.readBytes()).isGreaterThanOrEqualTo(16 * MB);
		assertThat(io.writes()).as("write operations").isGreaterThanOrEqualTo(16);
		assertThat(io.reads()).as("read operations").isGreaterThanOrEqualTo(16);

		engine.set("io", engine.limits("io").withIo(0, 32 * MB));
		double faster = seconds("io", "dd if=/dev/zero of=/root/g bs=1M count=16 oflag=direct 2>/dev/null");
		assertThat(faster).as("the raised limit holds at once").isLessThan(1.5);
	}

	@Test
	void theDiskAndItsLimitsOutliveARebootInside() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("reboots", "busybox", null, null, null,
				ResourceLimits.NONE.withDisk(128 * MB, 0).withIo(0, 4 * MB)));
		long first = engine.start("reboots").initPid().getAsLong();
		test.sh("reboots", "echo kept > /root/kept; reboot");
		// one status per look: between two, the old init may end and the new one not be there yet
		org.cairn.engine.TestEngine.waitFor(() -> engine.status("reboots").initPid().orElse(first) != first,
				java.time.Duration.ofSeconds(20),
				"the VE restarts");
		assertThat(test.sh("reboots", "cat /root/kept").output()).isEqualTo("kept\n");
		double write = seconds("reboots", "dd if=/dev/zero of=/root/f bs=1M count=12 oflag=direct 2>/dev/null");
		assertThat(write).as("12 MB at 4 MB/s after the reboot").isBetween(2.0, 5.5);
		assertThat(engine.usage("reboots").disk().totalBytes()).isGreaterThan(100 * MB);
	}

	@Test
	void ioLimitsNeedTheVesOwnDisk() {
		assertThatThrownBy(() -> ResourceLimits.NONE.withIo(4 * MB, 0)).hasMessageStartingWith("io-read-bps:");
		assertThatThrownBy(() -> ResourceLimits.NONE.withDisk(64 * MB, 0).withIo(0, 1000))
			.hasMessageStartingWith("io-write-bps:");
	}
}
