// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cgroup v2 driver on a real cgroup2 hierarchy: the host's own on a pure-v2 server, the hybrid
 * {@code /sys/fs/cgroup/unified} mount on a v1 build machine (where freeze, kill and the process list
 * work as on pure v2; the resource controllers live in v1 there).
 */
class CgroupV2LifecycleTests extends EngineTest {

	@Override
	protected String cgroupMode() {
		return "v2";
	}

	@Test
	void startSuspendResumeStopDestroyWithTheV2Driver() throws Exception {
		VeEngine engine = test.engine;
		assertThat(engine.cgroupVersion()).isEqualTo("v2");
		engine.create(new VeSpec("v2ve", "busybox", null));
		long init = engine.start("v2ve").initPid().getAsLong();
		Path cgroup = test.settings.cgroupV2Root().resolve(test.settings.cgroupParent()).resolve("v2ve");
		assertThat(Files.readString(cgroup.resolve("cgroup.procs"))).contains(Long.toString(init));
		assertThat(test.sh("v2ve", "cat /proc/self/cgroup").output()).as("the cgroup namespace hides the host's tree")
			.doesNotContain(test.settings.cgroupParent());

		// v2 has no devices files: an eBPF program on the VE's cgroup allows its own devices and no other
		assertThat(test.sh("v2ve", "head -c 4 /dev/urandom | wc -c; echo x > /dev/null && echo null-ok").output())
			.contains("4", "null-ok");
		String tried = TestEngine.run("sh", "-c", "sh -c 'echo $$ > " + cgroup.resolve("cgroup.procs")
				+ "; cat /dev/loop-control' 2>&1; true");
		assertThat(tried).contains("Operation not permitted");

		assertThat(engine.suspend("v2ve").state()).isEqualTo(VeState.SUSPENDED);
		assertThat(Files.readString(cgroup.resolve("cgroup.events"))).contains("frozen 1");
		assertThat(engine.resume("v2ve").state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("v2ve", "echo thawed").output()).isEqualTo("thawed\n");

		test.sh("v2ve", "sleep 1000 >/dev/null 2>&1 &");
		assertThat(engine.stop("v2ve", Duration.ofSeconds(20)).state()).isEqualTo(VeState.STOPPED);
		assertThat(cgroup).doesNotExist();
		engine.destroy("v2ve");
	}
}
