// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A VE's own disk: a hard limit on space and inodes, attacked from inside; no loop device or mount left. */
class DiskQuotaTests extends EngineTest {

	private static final long MB = 1L << 20;

	@AfterEach
	void noLoopDeviceLeft() {
		String image = test.settings.root().toString();
		test.close();
		assertThat(TestEngine.run("losetup", "-a")).as("no loop device left").doesNotContain(image);
	}

	private static ResourceLimits disk(long bytes, long inodes) {
		return ResourceLimits.NONE.withDisk(bytes, inodes);
	}

	@Test
	void aDiskFillerStopsAtTheQuotaAndTheOthersKeepTheirSpace() throws Exception {
		engine.create(new VeSpec("filler", "busybox", null, null, null, disk(64 * MB, 0)));
		engine.create(new VeSpec("other", "busybox", null));
		engine.start("filler");
		engine.start("other");
		String fill = test.sh("filler", "dd if=/dev/zero of=/root/fill bs=1M count=200 2>&1; sync").output();
		assertThat(fill).contains("No space left on device");
		VeUsage.DiskUsage usage = engine.usage("filler").disk();
		assertThat(usage.totalBytes()).as("the quota, exactly").isEqualTo(64 * MB);
		assertThat(usage.freeBytes()).isLessThan(MB);
		// df inside: the size bought, and used and available that add up to it
		String[] df = test.sh("filler", "df -k / | awk 'NR==2 {print $2, $3, $4}'").output().strip().split(" ");
		assertThat(Long.parseLong(df[0])).isEqualTo(64 * 1024);
		assertThat(Long.parseLong(df[1]) + Long.parseLong(df[2])).isEqualTo(64 * 1024);
		assertThat(test.sh("other", "dd if=/dev/zero of=/root/fill bs=1M count=80 2>&1 | tail -1").output())
			.doesNotContain("No space");
		assertThat(Files.size(test.settings.root().resolve("ves/filler/disk.img"))).as("sparse, the quota")
			.isEqualTo(64 * MB);
		assertThat(Files.readString(java.nio.file.Path.of("/proc/self/mountinfo"))).as("no host mount")
			.doesNotContain(test.settings.root().toString());
	}

	@Test
	void inodesAreAHardLimitToo() {
		engine.create(new VeSpec("files", "busybox", null, null, null, disk(64 * MB, 2000)));
		engine.start("files");
		String out = test.sh("files", "i=0; while [ $i -lt 3000 ]; do touch /root/f$i || break; i=$((i+1)); done 2>&1;"
				+ " echo made=$i").output();
		assertThat(out).contains("No space left on device");
		long made = Long.parseLong(out.replaceAll("(?s).*made=(\\d+).*", "$1"));
		assertThat(made).isLessThan(2000);
		assertThat(engine.usage("files").disk().inodes()).isLessThanOrEqualTo(2048);
	}

	@Test
	void theDiskGrowsWhileTheVeRunsAndShrinksWhileItIsStopped() throws Exception {
		engine.create(new VeSpec("grows", "busybox", null, null, null, disk(64 * MB, 0)));
		engine.start("grows");
		test.sh("grows", "echo kept > /root/kept");
		assertThatThrownBy(() -> engine.set("grows", disk(64 * MB, 5000))).hasMessageStartingWith("inodes:");

		// online with ext4's online resize, which needs CAP_SYS_RESOURCE (a node's root has it; this build
		// machine's root lacks it): without, the engine says so and changes nothing
		if (Capabilities.effective(Capabilities.SYS_RESOURCE)) {
			engine.set("grows", disk(96 * MB, 0));
		}
		else {
			assertThatThrownBy(() -> engine.set("grows", disk(96 * MB, 0))).hasMessageContaining("CAP_SYS_RESOURCE")
				.hasMessageContaining("stop the VE");
			assertThat(engine.limits("grows").diskBytes()).isEqualTo(64 * MB);
			assertThat(engine.usage("grows").disk().totalBytes()).isEqualTo(64 * MB);
			engine.stop("grows", Duration.ofSeconds(20));
			engine.set("grows", disk(96 * MB, 0));
			engine.start("grows");
		}
		assertThat(engine.usage("grows").disk().totalBytes()).isEqualTo(96 * MB);
		assertThat(test.sh("grows", "df -k / | awk 'NR==2 {print $2}'").output().strip()).isEqualTo("98304");
		assertThat(test.sh("grows", "dd if=/dev/zero of=/root/fill bs=1M count=70 2>&1 | tail -1; sync; cat /root/kept")
			.output()).doesNotContain("No space").contains("kept");
		long availableKb = Long.parseLong(test.sh("grows", "df -k / | awk 'NR==2 {print $4}'").output().strip());
		assertThat(availableKb).as("df inside: what is left of 96M after 70M").isBetween(15_000L, 26_000L);

		assertThatThrownBy(() -> engine.set("grows", disk(60 * MB, 0))).as("below what is in use")
			.hasMessageStartingWith("disk: 7").hasMessageContaining("in use");
		test.sh("grows", "rm /root/fill");
		assertThatThrownBy(() -> engine.set("grows", disk(48 * MB, 0))).hasMessageContaining("stop the VE");
		assertThat(engine.limits("grows").diskBytes()).isEqualTo(96 * MB);

		engine.stop("grows", Duration.ofSeconds(20));
		engine.set("grows", disk(48 * MB, 0));
		assertThat(Files.size(test.settings.root().resolve("ves/grows/disk.img"))).isEqualTo(48 * MB);
		engine.start("grows");
		assertThat(engine.usage("grows").disk().totalBytes()).isEqualTo(48 * MB);
		assertThat(test.sh("grows", "dd if=/dev/zero of=/root/fill bs=1M count=120 2>&1; sync").output())
			.as("the lowered quota holds").contains("No space left on device");
		assertThat(test.sh("grows", "rm /root/fill; cat /root/kept").output()).contains("kept");
		assertThat(engine.limits("grows").diskBytes()).isEqualTo(48 * MB);
	}

	@Test
	void badDiskSizesAreRefused() {
		assertThatThrownBy(() -> disk(1 * MB, 0)).hasMessageStartingWith("disk:");
		assertThatThrownBy(() -> disk(0, 5000)).hasMessageStartingWith("inodes:");
		assertThatThrownBy(() -> disk(64 * MB, 10)).hasMessageStartingWith("inodes:");
		assertThatThrownBy(() -> ResourceLimits.parseSize("disk", "2X")).hasMessageStartingWith("disk:");
	}
}
