// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a VE's root could do to the node beyond its limits, tried from inside: reboot loops, reading other
 * VEs' disks as a local user, devices, host names the kernel refuses, errors that were lost, node paths.
 */
class NodeSurfaceTests {

	private TestEngine test;

	private VeEngine engine;

	@BeforeEach
	void openEngine() throws Exception {
		test = TestEngine.create("auto");
		engine = test.engine;
	}

	@AfterEach
	void closeEngine() {
		test.close();
	}

	@Test
	void aVeThatRebootsInALoopIsStoppedAndSaysWhy() {
		engine.create(new VeSpec("looper", "busybox", null));
		engine.start("looper");
		test.sh("looper", "printf '#!/bin/sh\\nreboot -f\\n' > /etc/init.d/S99again; chmod 755 /etc/init.d/S99again;"
				+ " reboot -f");
		TestEngine.waitFor(() -> engine.status("looper").state() == VeState.STOPPED, Duration.ofSeconds(30),
				"the reboot loop ends");
		assertThat(engine.status("looper").stopReason()).contains("restarting too often");
		assertThat(test.settings.root().resolve("ves/looper/state/supervisor.pid")).doesNotExist();
		// once its owner fixes it, it starts as before
		Path script = test.settings.root().resolve("ves/looper/upper/etc/init.d/S99again");
		TestEngine.run("rm", "-f", script.toString());
		assertThat(engine.start("looper").state()).isEqualTo(VeState.RUNNING);
		assertThat(engine.status("looper").stopReason()).isEmpty();
	}

	@Test
	void aVesDiskAndFilesAreNotReadableByOtherLocalUsers() throws Exception {
		engine.create(new VeSpec("private", "busybox", null, "a-root-password-here", null,
				ResourceLimits.NONE.withDisk(64L << 20, 0)));
		Path image = test.settings.root().resolve("ves/private/disk.img");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(test.settings.root().resolve("ves"))))
			.isEqualTo("rwx--x--x");
		String asNobody = TestEngine.run("sh", "-c", "setpriv --reuid=nobody --regid=nogroup --clear-groups"
				+ " sh -c 'head -c 1 " + image + " > /dev/null; ls " + test.settings.root().resolve("ves") + "' 2>&1; true");
		assertThat(asNobody).contains("Permission denied").doesNotContain("private\n");
	}

	@Test
	void anEngineRootBelowAClosedFolderIsRefusedNamingItsMode() throws Exception {
		Path closed = Files.createTempDirectory("cairn-test-closed-");
		try {
			assertThatThrownBy(() -> VeEngine.open(new EngineSettings(closed.resolve("root"), test.settings.cgroupParent(),
					test.settings.firstUid(), "auto", test.settings.cgroupV2Root())))
				.hasMessageContaining(closed + " has mode rwx------")
				.hasMessageContaining("chmod o+x");
		}
		finally {
			Trees.delete(closed);
		}
	}

	@Test
	void theFirstProcesssOwnErrorReachesTheCaller() throws Exception {
		engine.create(new VeSpec("shut", "busybox", null));
		Path dir = test.settings.root().resolve("ves/shut");
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		try {
			assertThatThrownBy(() -> engine.start("shut")).hasMessageContaining("Permission denied")
				.hasMessageNotContaining("Broken pipe");
			assertThat(engine.status("shut").state()).isEqualTo(VeState.STOPPED);
		}
		finally {
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
		}
		assertThat(engine.start("shut").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void longHostNamesFollowOneRuleAtCreateStartAndRename() {
		String longName = "a".repeat(40) + "." + "b".repeat(40) + ".example.com";
		engine.create(new VeSpec("longname", "busybox", longName));
		engine.start("longname");
		assertThat(test.sh("longname", "cat /proc/sys/kernel/hostname /etc/hostname").output())
			.isEqualTo("a".repeat(40) + "\n" + longName + "\n");
		String other = "c".repeat(63) + "." + "d".repeat(63) + ".example.org";
		engine.setHostname("longname", other);
		assertThat(test.sh("longname", "cat /proc/sys/kernel/hostname /etc/hostname").output())
			.isEqualTo("c".repeat(63) + "\n" + other + "\n");
		engine.restart("longname", Duration.ofSeconds(5));
		assertThat(test.sh("longname", "hostname").output()).isEqualTo("c".repeat(63) + "\n");
		engine.setHostname("longname", "short.example.com");
		assertThat(test.sh("longname", "hostname").output()).isEqualTo("short.example.com\n");
		// refused before anything changes: a label over 63 characters, or a name over 253
		assertThatThrownBy(() -> engine.setHostname("longname", "x".repeat(64) + ".example.com"))
			.hasMessageStartingWith("hostname:");
		assertThatThrownBy(() -> engine.setHostname("longname", ("y".repeat(60) + ".").repeat(5) + "com"))
			.hasMessageStartingWith("hostname:")
			.hasMessageContaining("...");
		assertThat(engine.status("longname").hostname()).isEqualTo("short.example.com");
	}

	@Test
	void theVeSeesNoPathOfTheNodeInItsMounts() {
		engine.create(new VeSpec("mounts", "busybox", null, null, null, ResourceLimits.NONE.withDisk(64L << 20, 0)));
		engine.start("mounts");
		String mountinfo = test.sh("mounts", "cat /proc/self/mountinfo").output();
		assertThat(mountinfo).contains(" / / ").doesNotContain(test.settings.root().toString());
	}

	@Test
	void theVesDevicesCgroupAllowsItsOwnDevicesOnly() throws Exception {
		Path devices = Path.of("/sys/fs/cgroup/devices");
		if (!engine.cgroupVersion().equals("v1") || !Files.isDirectory(devices)) {
			// cgroup v2 has no devices files: the launcher's /dev and the user namespace are the limit there
			assertThat(engine.cgroupVersion()).isEqualTo("v2");
			return;
		}
		engine.create(new VeSpec("devs", "busybox", null));
		engine.start("devs");
		Path cgroup = devices.resolve(test.settings.cgroupParent()).resolve("devs");
		String list = Files.readString(cgroup.resolve("devices.list"));
		assertThat(list).doesNotContain("a *:* rwm").contains("c 1:3 rwm", "c 136:* rwm", "c 10:229 rwm");
		// a process in the VE's devices cgroup cannot open a device of the node's, even one in reach
		String tried = TestEngine.run("sh", "-c", "sh -c 'echo $$ > " + cgroup.resolve("cgroup.procs")
				+ "; exec 3< /dev/loop-control && echo opened' 2>&1; true");
		assertThat(tried).contains("Operation not permitted").doesNotContain("opened");
		assertThat(test.sh("devs", "head -c 4 /dev/urandom | wc -c; echo ok > /dev/null && echo null-ok").output())
			.contains("4", "null-ok");
	}
}
