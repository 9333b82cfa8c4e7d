// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.InitSystem;
import org.cairn.engine.template.Template;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debian-12 and debian-13 templates, built for real by debootstrap, boot the distribution's systemd as the
 * VE's init; what a customer's usual instructions rely on works inside, and the VE's limits hold for everything
 * systemd starts. On this (hybrid) machine systemd gets the VE's cgroup in the cgroup2 hierarchy; the v2 driver
 * is tested on that hierarchy too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemdTemplateTests {

	private static final long MB = 1L << 20;

	private TestNode node;

	private TestEngine test;

	private Path keys;

	@BeforeAll
	void build() throws Exception {
		node = TestNode.create();
		test = TestEngine.create("auto", node.network());
		keys = Files.createTempDirectory("cairn-ssh-test-");
		TestEngine.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id").toString());
		test.installTemplate("debian-12");
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

	/** Waits for systemd to finish booting; its answer ("running", "degraded" ...). */
	static String bootState(TestEngine test, String ve) {
		// systemctl needs systemd's socket, which it opens a moment after it starts
		return test.sh(ve, "i=0; while [ ! -S /run/systemd/private ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done;"
				+ " systemctl is-system-running --wait 2>&1").output().strip();
	}

	@Test
	void aDebianVeBootsSystemdCleanlyAndBehavesAsAServer() throws IOException {
		VeEngine engine = test.engine;
		Template template = engine.templates().stream().filter(t -> t.name().equals("debian-12")).findFirst().orElseThrow();
		assertThat(template.initSystem()).isEqualTo(InitSystem.SYSTEMD);
		assertThat(template.description()).contains("systemd").contains("masked: systemd-firstboot");
		engine.create(new VeSpec("sd", "debian-12", "sd.example.com", null, Files.readString(keys.resolve("id.pub")),
				ResourceLimits.NONE.withMemory(256 * MB),
				new VeNetwork(List.of(VeNetwork.parseAddress("ip", "198.51.100.70")), List.of(), 0)));
		// its own SSH host keys are made with its files, so that its first boot starts sshd at once
		Path hostKey = test.settings.root().resolve("ves/sd/upper/etc/ssh/ssh_host_ed25519_key");
		assertThat(hostKey).exists();
		assertThat(Files.getPosixFilePermissions(hostKey)).hasSize(2);
		engine.start("sd");

		assertThat(bootState(test, "sd")).isEqualTo("running");
		assertThat(test.sh("sd", "ps -o comm= -p 1").output().strip()).isEqualTo("systemd");
		assertThat(test.sh("sd", "systemctl --failed --no-legend --plain").output()).isEmpty();
		assertThat(test.sh("sd", "journalctl -b --no-pager").output()).contains("Startup finished");
		assertThat(test.sh("sd", "systemctl restart ssh && systemctl is-active ssh").output()).isEqualTo("active\n");
		assertThat(test.sh("sd", "hostnamectl").output()).containsPattern("Static hostname: sd.example.com");
		assertThat(test.sh("sd", "timedatectl").output()).contains("Time zone:");
		assertThat(test.sh("sd", "systemctl is-active cron dbus systemd-journald systemd-logind").output())
			.isEqualTo("active\nactive\nactive\nactive\n");
		// each VE its own identity: a machine id made at its first boot, SSH host keys of its own
		String machineId = test.sh("sd", "cat /etc/machine-id").output().strip();
		assertThat(machineId).matches("[0-9a-f]{32}");
		assertThat(Files.readString(template.rootfs().resolve("etc/machine-id"))).isEmpty();

		// a customer's first step: ssh to the VE's own address with their key
		String login = node.run("ssh", "-i", keys.resolve("id").toString(), "-o", "BatchMode=yes", "-o",
				"StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
				"root@198.51.100.70", "hostname; systemctl is-system-running");
		assertThat(login).endsWith("sd.example.com\nrunning\n");

		// the engine's stop is systemd's own halt: units stop in order, nothing is killed by the node
		engine.stop("sd", Duration.ofSeconds(60));
		assertThat(engine.status("sd").state()).isEqualTo(VeState.STOPPED);
		String console = engine.consoleLog("sd", 1 << 20).replaceAll("\u001B\\[[0-9;]*m", "");
		assertThat(console).contains("Stopped ssh.service").contains("Halting system.");
		assertThat(Path.of("/sys/fs/cgroup/unified", test.settings.cgroupParent(), "sd")).as("systemd's cgroups are gone")
			.doesNotExist();

		// the second boot keeps the first one's identity
		engine.start("sd");
		assertThat(bootState(test, "sd")).isEqualTo("running");
		assertThat(test.sh("sd", "cat /etc/machine-id").output().strip()).isEqualTo(machineId);
		engine.destroy("sd");
	}

	@Test
	void packagesInstallWithDpkgAndApt() throws Exception {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("pkg", "debian-12", null));
		engine.start("pkg");
		assertThat(bootState(test, "pkg")).isEqualTo("running");
		Path work = Files.createTempDirectory("cairn-deb-");
		try {
			Path tree = work.resolve("cairn-hello");
			Files.createDirectories(tree.resolve("DEBIAN"));
			Files.createDirectories(tree.resolve("usr/bin"));
			Files.writeString(tree.resolve("DEBIAN/control"), """
					Package: cairn-hello
					Version: 1.0
					Architecture: all
					Maintainer: Cairn tests <tests@cairn.invalid>
					Description: a package made by Cairn's tests
					""");
			Path program = Files.writeString(tree.resolve("usr/bin/cairn-hello"), "#!/bin/sh\necho hello from a package\n");
			Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
			TestEngine.run("dpkg-deb", "--root-owner-group", "--build", tree.toString(), work.resolve("hello.deb").toString());
			Process copy = engine.exec("pkg", List.of("/bin/sh", "-c", "cat > /root/hello.deb"))
				.redirectInput(work.resolve("hello.deb").toFile())
				.start();
			assertThat(copy.waitFor()).isZero();
		}
		finally {
			Trees.delete(work);
		}
		TestEngine.Result apt = test.sh("pkg", "apt-get install -y /root/hello.deb");
		assertThat(apt.exitCode()).as(apt.output()).isZero();
		assertThat(test.sh("pkg", "cairn-hello; dpkg-query -W -f '${Status}' cairn-hello").output())
			.isEqualTo("hello from a package\ninstall ok installed");
		assertThat(test.sh("pkg", "dpkg -r cairn-hello >/dev/null && command -v cairn-hello || echo gone").output())
			.isEqualTo("gone\n");
		engine.destroy("pkg");
	}

	@Test
	void theLimitsHoldForEverythingSystemdStarts() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("lim", "debian-12", null, null, null, new ResourceLimits(128 * MB, 0, 0, 0, 100, 96)));
		engine.start("lim");
		assertThat(bootState(test, "lim")).isEqualTo("running");
		// systemd moved its services into cgroups of its own: each is still in the VE's limited cgroups
		Path unified = Path.of("/sys/fs/cgroup/unified", test.settings.cgroupParent(), "lim");
		assertThat(unified.resolve("system.slice/ssh.service")).isDirectory();
		Set<String> limited = new HashSet<>(lines(Path.of("/sys/fs/cgroup/memory", test.settings.cgroupParent(), "lim",
				"cgroup.procs")));
		limited.retainAll(lines(Path.of("/sys/fs/cgroup/pids", test.settings.cgroupParent(), "lim", "cgroup.procs")));
		List<String> started = lines(unified.resolve("system.slice/ssh.service/cgroup.procs"));
		assertThat(started).isNotEmpty();
		assertThat(limited).containsAll(started);

		// a service systemd starts is killed at the VE's memory limit; the VE runs on
		// (a script: systemd would expand the $ of a command line)
		test.sh("lim", "echo 'my $x = \"x\" x (400 * 1024 * 1024); print \"survived\\n\";' > /root/hog.pl");
		TestEngine.Result hog = test.sh("lim", "systemd-run --wait --pipe --quiet --unit=hog perl /root/hog.pl 2>&1");
		assertThat(hog.output()).doesNotContain("survived");
		assertThat(engine.usage("lim").oomKills()).as(hog.output()).isPositive();
		assertThat(engine.usage("lim").oomKills()).isPositive();
		assertThat(engine.usage("lim").memoryPeakBytes()).isLessThanOrEqualTo(128 * MB);
		// and its fork flood stops at the process limit
		test.sh("lim", "echo 'i=0; while [ $i -lt 300 ]; do sleep 30 & i=$((i+1)); done; wait' > /root/flood.sh");
		TestEngine.Result flood = test.sh("lim", "systemd-run --wait --pipe --quiet --unit=flood sh /root/flood.sh 2>&1");
		assertThat(flood.output()).containsIgnoringCase("fork");
		assertThat(engine.usage("lim").processes()).isLessThanOrEqualTo(96);
		test.sh("lim", "systemctl reset-failed");
		assertThat(bootState(test, "lim")).isIn("running", "degraded");
		engine.destroy("lim");
		assertThat(unified).doesNotExist();
	}

	@Test
	void rebootAndPoweroffInsideRestartOrStopThatVeOnly() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("rb", "debian-12", null));
		engine.create(new VeSpec("calm", "busybox", null));
		engine.start("rb");
		long calm = engine.start("calm").initPid().getAsLong();
		assertThat(bootState(test, "rb")).isEqualTo("running");
		long first = engine.status("rb").initPid().getAsLong();
		test.sh("rb", "systemctl reboot");
		TestEngine.waitFor(() -> engine.status("rb").initPid().orElse(first) != first, Duration.ofSeconds(30),
				"the VE comes back with a new init");
		assertThat(bootState(test, "rb")).isEqualTo("running");
		test.sh("rb", "systemctl poweroff");
		TestEngine.waitFor(() -> engine.status("rb").state() == VeState.STOPPED, Duration.ofSeconds(30),
				"the VE powers off");
		assertThat(engine.status("calm").initPid().getAsLong()).as("the neighbour did not notice").isEqualTo(calm);
		engine.destroy("rb");
		engine.destroy("calm");
	}

	@Test
	void debian13BootsItsSystemdToo() throws IOException {
		VeEngine engine = test.engine;
		test.installTemplate("debian-13");
		engine.create(new VeSpec("trixie", "debian-13", null));
		engine.start("trixie");
		assertThat(bootState(test, "trixie")).isEqualTo("running");
		assertThat(test.sh("trixie", ". /etc/os-release; echo $VERSION_CODENAME").output()).isEqualTo("trixie\n");
		assertThat(test.sh("trixie", "systemctl --failed --no-legend --plain").output()).isEmpty();
		assertThat(test.sh("trixie", "systemctl is-active ssh cron").output()).isEqualTo("active\nactive\n");
		engine.stop("trixie", Duration.ofSeconds(60));
		assertThat(engine.consoleLog("trixie", 1 << 20)).contains("Halting system.");
		engine.destroy("trixie");
	}

	@Test
	void onCgroupV2TheVesCgroupIsDelegatedToItsSystemd() throws IOException {
		try (TestEngine v2 = TestEngine.create("v2")) {
			v2.installTemplate("debian-12");
			VeEngine engine = v2.engine;
			engine.create(new VeSpec("deleg", "debian-12", null));
			engine.start("deleg");
			assertThat(bootState(v2, "deleg")).isEqualTo("running");
			Path cgroup = v2.settings.cgroupV2Root().resolve(v2.settings.cgroupParent()).resolve("deleg");
			assertThat(cgroup.resolve("init.scope")).isDirectory();
			assertThat(cgroup.resolve("system.slice/ssh.service")).isDirectory();
			assertThat(v2.sh("deleg", "cat /proc/1/cgroup").output()).contains("0::/init.scope\n");
			// the VE's root manages what is below its cgroup, not its cgroup's own settings or anything above
			assertThat(v2.sh("deleg", "echo 1 > /sys/fs/cgroup/cgroup.max.depth").exitCode()).isNotZero();
			assertThat(v2.sh("deleg", "cat /sys/fs/cgroup/cgroup.max.depth").output()).isEqualTo("max\n");
			assertThat(engine.usage("deleg").processes()).as("counted in systemd's cgroups too").isGreaterThan(5);
			engine.stop("deleg", Duration.ofSeconds(60));
			assertThat(engine.consoleLog("deleg", 1 << 20)).contains("Halting system.");
			assertThat(cgroup).doesNotExist();
			engine.start("deleg");
			assertThat(bootState(v2, "deleg")).as("a second boot in the same cgroup").isEqualTo("running");
			engine.destroy("deleg");
			assertThat(cgroup).doesNotExist();
		}
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}
}
