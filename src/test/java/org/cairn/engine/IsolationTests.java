// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each isolation promise, attacked from inside a running VE. Every attempt must fail, and the host and a
 * second VE must not notice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationTests {

	private TestEngine test;

	private VeEngine engine;

	@BeforeAll
	void startTwoVes() throws Exception {
		test = TestEngine.create("auto");
		engine = test.engine;
		engine.create(new VeSpec("alpha", "busybox", "alpha.example.com"));
		engine.create(new VeSpec("beta", "busybox", "beta.example.com"));
		engine.start("alpha");
		engine.start("beta");
	}

	@AfterAll
	void destroy() {
		test.close();
	}

	private TestEngine.Result inAlpha(String script) {
		return test.sh("alpha", script);
	}

	@Test
	void ownPidNamespaceShowsOnlyTheVesProcesses() {
		String ps = inAlpha("ps -o pid,comm").output();
		assertThat(ps).contains("    1 init");
		assertThat(ps.lines().count()).as(ps).isLessThanOrEqualTo(4);
		long hostPid = ProcessHandle.current().pid();
		long betaInit = engine.status("beta").initPid().getAsLong();
		assertThat(inAlpha("kill -0 " + hostPid + " || echo invisible").output()).contains("invisible");
		assertThat(inAlpha("kill -9 " + betaInit + " 2>&1; echo done").output()).contains("done");
		assertThat(ProcessHandle.of(betaInit).map(ProcessHandle::isAlive)).contains(true);
		assertThat(ProcessHandle.current().isAlive()).isTrue();
	}

	@Test
	void ownRootFileSystemHidesTheHostAndOtherVes() throws Exception {
		Path marker = Files.writeString(test.settings.root().resolve("host-marker"), "TOP-SECRET-CONTENT");
		String betaUpper = test.settings.root().resolve("ves/beta/upper").toString();
		TestEngine.Result look = inAlpha("ls " + marker + " " + betaUpper + " 2>&1; cat /proc/1/root" + marker
				+ " 2>&1; ls /");
		assertThat(look.output()).doesNotContain("TOP-SECRET-CONTENT").contains("No such file");
		assertThat(inAlpha("echo x > /etc/alpha-only").exitCode()).isZero();
		assertThat(test.sh("beta", "cat /etc/alpha-only 2>&1").output()).contains("No such file");
		assertThat(test.settings.root().resolve("templates/busybox/rootfs/etc/alpha-only")).doesNotExist();
	}

	@Test
	void kernelFilesAreMaskedOrReadOnly() {
		// /proc/kcore where the kernel has it; this build machine's kernel has none
		assertThat(inAlpha("cat /proc/timer_list /proc/keys 2>&1 | wc -c; [ ! -e /proc/kcore ] || cat /proc/kcore | wc -c")
			.output()
			.strip()).isEqualTo("0");
		assertThat(TestEngine.run("cat", "/proc/timer_list")).isNotEmpty();
		assertThat(inAlpha("ls /sys/firmware | wc -l").output().strip()).isEqualTo("0");
		assertThat(inAlpha("echo '|/evil' > /proc/sys/kernel/core_pattern").exitCode()).isNotZero();
		assertThat(inAlpha("echo c > /proc/sysrq-trigger").exitCode()).isNotZero();
		assertThat(inAlpha("echo /evil > /sys/kernel/uevent_helper").exitCode()).isNotZero();
		assertThat(inAlpha("touch /sys/x").exitCode()).isNotZero();
		assertThat(inAlpha("umount /proc/kcore").exitCode()).isNotZero();
		assertThat(inAlpha("grep ' /sys ' /proc/mounts").output()).contains(" ro,");
		assertThat(TestEngine.run("cat", "/proc/sys/kernel/core_pattern")).doesNotContain("evil");
	}

	@Test
	void hostnameIpcAndNetworkAreTheVesOwn() {
		String hostHostname = TestEngine.run("hostname").strip();
		assertThat(inAlpha("hostname renamed && hostname").output().strip()).isEqualTo("renamed");
		assertThat(TestEngine.run("hostname").strip()).isEqualTo(hostHostname);
		assertThat(test.sh("beta", "hostname").output().strip()).isEqualTo("beta.example.com");
		inAlpha("hostname alpha.example.com");

		// a SysV segment and a POSIX one of the host's are invisible inside; a VE's /dev/shm is its own
		String segment = TestEngine.run("ipcmk", "-M", "4096").replaceAll("\\D", "");
		try {
			assertThat(TestEngine.run("cat", "/proc/sysvipc/shm").lines().count()).isGreaterThan(1);
			assertThat(inAlpha("cat /proc/sysvipc/shm").output().lines().count()).isEqualTo(1);
		}
		finally {
			TestEngine.run("ipcrm", "-m", segment);
		}
		assertThat(inAlpha("echo a > /dev/shm/alpha-segment").exitCode()).isZero();
		assertThat(test.sh("beta", "ls /dev/shm").output()).doesNotContain("alpha-segment");
		assertThat(Path.of("/dev/shm/alpha-segment")).doesNotExist();

		String links = inAlpha("ip -o link").output();
		assertThat(links).contains("lo:").doesNotContain("eth0").doesNotContain("veth");
		assertThat(inAlpha("ip addr add 198.51.100.99/32 dev lo").exitCode()).as("no CAP_NET_ADMIN").isNotZero();
		assertThat(inAlpha("ip link set lo down").exitCode()).isNotZero();
		assertThat(inAlpha("ping -c 1 -W 1 127.0.0.1").exitCode()).as("loopback works").isZero();
	}

	@Test
	void rootInsideIsAnUnprivilegedRangeOfHostIds() throws Exception {
		long base = engine.status("alpha").uidBase();
		assertThat(inAlpha("cat /proc/self/uid_map").output().trim().split("\\s+")).containsExactly("0",
				Long.toString(base), "65536");
		assertThat(inAlpha("id -u; stat -c %u:%g /etc/passwd").output()).isEqualTo("0\n0:0\n");
		inAlpha("touch /root/owned");
		Path onHost = test.settings.root().resolve("ves/alpha/upper/root/owned");
		assertThat(Files.getAttribute(onHost, "unix:uid")).isEqualTo((int) base);
		assertThat(inAlpha("chown 70000 /root/owned").exitCode()).as("an unmapped id").isNotZero();
		long betaBase = engine.status("beta").uidBase();
		assertThat(Math.abs(betaBase - base)).isGreaterThanOrEqualTo(65536);
	}

	@Test
	void kernelLevelOperationsAreRefused() {
		String status = inAlpha("grep CapBnd /proc/self/status").output();
		long bounding = Long.parseLong(status.replaceAll("\\s", "").replace("CapBnd:", ""), 16);
		for (int cap : new int[] { 16 /* sys_module */, 17 /* sys_rawio */, 25 /* sys_time */, 12 /* net_admin */ }) {
			assertThat(bounding & (1L << cap)).as("capability " + cap).isZero();
		}
		assertThat(inAlpha("grep -E 'CapInh|CapAmb' /proc/self/status").output()).doesNotContainPattern("[1-9a-f]\\n");
		assertThat(inAlpha("grep Seccomp: /proc/self/status").output()).contains("2");
		assertThat(inAlpha("head -c 4096 /dev/zero > /tmp/evil.ko; insmod /tmp/evil.ko 2>&1").output())
			.contains("not permitted");
		assertThat(inAlpha("date -s '2001-01-01 00:00' 2>&1").output()).contains("not permitted");
		assertThat(inAlpha("swapoff -a 2>&1; swapon /dev/null 2>&1").output()).contains("not permitted");
		assertThat(inAlpha("dmesg 2>&1 | head -1").output()).contains("not permitted");
		assertThat(inAlpha("mknod /tmp/sda b 8 0 2>&1 || echo refused").output()).contains("refused");
		assertThat(inAlpha("mount -t ext4 /dev/vda /mnt 2>&1 || echo refused").output()).contains("refused");
		assertThat(inAlpha("mount -t tmpfs none /mnt && echo mounted; umount -f /mnt 2>&1; umount /mnt").output())
			.as("a VE may mount inside its own namespace, never force-unmount")
			.contains("mounted");
	}

	@Test
	void everyKernelLevelSyscallIsRefused() throws Exception {
		test.installHelper("alpha", "kernel_ops.c", "kernel-ops");
		String results = inAlpha("kernel-ops").output();
		assertThat(results.lines().count()).as(results).isEqualTo(19);
		assertThat(results).as(results).doesNotContain("ALLOWED");
		// the keyring answers "not implemented", as LXC's profile has it, so that runtimes inside go on without one
		assertThat(results).contains("init_module EPERM", "kexec_load EPERM", "open_by_handle_at EPERM", "keyctl ENOSYS",
				"add_key ENOSYS", "bpf EPERM", "perf_event_open EPERM", "settimeofday EPERM", "swapon EPERM");
		// io_uring, and nested user and network namespaces (a VE's processes leaving the link the engine
		// accounts and limits); clone3 hides its flags from seccomp, so it is refused whole, as Docker does
		assertThat(results).contains("io_uring_setup EPERM", "unshare_user EPERM", "unshare_net EPERM",
				"clone_user EPERM", "clone3_user ENOSYS");
		assertThat(inAlpha("unshare -n true 2>&1; echo rc=$?").output()).contains("rc=1");
	}

	@Test
	void fuseMountsWorkInsideAndStayThere() throws Exception {
		// sshfs and friends mount through /dev/fuse: a minimal FUSE server stands in for them
		test.installHelper("alpha", "fuse_hello.c", "fuse-hello");
		String out = inAlpha("mkdir -p /mnt/fuse; (fuse-hello /mnt/fuse > /tmp/fuse.log 2>&1 &);"
				+ " for i in 1 2 3 4 5 6 7 8 9 10; do grep -q mounted /tmp/fuse.log && break; sleep 0.2; done;"
				+ " cat /tmp/fuse.log; stat -c '%F %a' /mnt/fuse; grep -c ' /mnt/fuse fuse.cairn ' /proc/mounts").output();
		assertThat(out).contains("mounted", "directory 755");
		assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("the host never sees it").doesNotContain("cairn-fuse");
		assertThat(test.sh("beta", "grep -c fuse.cairn /proc/mounts").output().strip()).isEqualTo("0");
		assertThat(inAlpha("umount /mnt/fuse && echo unmounted").output()).contains("unmounted");
	}

	@Test
	void ownCgroupNamespaceHidesTheHostsTree() {
		String cgroups = inAlpha("cat /proc/self/cgroup").output();
		assertThat(cgroups).doesNotContain(test.settings.cgroupParent());
		assertThat(cgroups.lines().map(line -> line.substring(line.lastIndexOf(':') + 1)))
			.as("every hierarchy's root is the VE's own cgroup (a command run from outside is in a leaf of it)")
			.allMatch(path -> path.equals("/") || path.equals("/" + org.cairn.engine.cgroup.CgroupDriver.ENTERED));
		assertThat(inAlpha("cat /proc/1/cgroup").output().lines().map(line -> line.substring(line.lastIndexOf(':') + 1)))
			.allMatch(path -> path.equals("/"));
	}

	@Test
	void devIsMinimalAndWorks() {
		String dev = inAlpha("ls /dev").output();
		assertThat(dev.split("\\s+")).contains("null", "zero", "full", "random", "urandom", "tty", "console", "ptmx",
				"pts", "shm", "fuse");
		assertThat(dev).doesNotContain("vda").doesNotContain("mem").doesNotContain("kmsg");
		assertThat(inAlpha("head -c 16 /dev/urandom | wc -c; echo ok > /dev/null; head -c 4 /dev/zero | wc -c").output())
			.isEqualTo("16\n4\n");
		assertThat(inAlpha("echo x > /dev/full").exitCode()).isNotZero();
	}

	@Test
	void theOtherVeKeepsRunningThroughAllOfThis() {
		assertThat(engine.status("beta").state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("beta", "echo fine").output()).isEqualTo("fine\n");
		assertThat(engine.stop("beta", Duration.ofSeconds(20)).state()).isEqualTo(VeState.STOPPED);
		assertThat(engine.start("beta").state()).isEqualTo(VeState.RUNNING);
	}
}
