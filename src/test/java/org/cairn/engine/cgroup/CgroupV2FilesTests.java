// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The v2 driver's limit and usage files, on a tree laid out as cgroupfs lays it out. This build machine's
 * cgroup2 mount has no memory, cpu or pids controller (they are bound to v1), so these are checked here at
 * file level; freeze, kill and placement run against the real cgroup2 mount in CgroupV2LifecycleTests.
 */
class CgroupV2FilesTests {

	private Path root;

	private Path ve;

	@BeforeEach
	void tree() throws Exception {
		root = Files.createTempDirectory("cairn-fake-cgroup2-");
		Files.writeString(root.resolve("cgroup.procs"), "");
		Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids io");
		Files.writeString(root.resolve("cgroup.subtree_control"), "");
		ve = Files.createDirectories(root.resolve("cairn/web"));
		for (String file : new String[] { "cgroup.procs", "memory.max", "memory.swap.max", "cpu.max", "cpu.weight",
				"pids.max" }) {
			Files.writeString(ve.resolve(file), "");
		}
	}

	@AfterEach
	void remove() {
		org.cairn.engine.Trees.delete(root);
	}

	@Test
	void limitsAreWrittenInV2Syntax() throws Exception {
		CgroupV2Driver driver = new CgroupV2Driver(root, "cairn");
		driver.apply("web", new ResourceLimits(256L << 20, 64L << 20, 1.5, 50, 300, 128));
		assertThat(Files.readString(ve.resolve("memory.max"))).isEqualTo("268435456");
		assertThat(Files.readString(ve.resolve("memory.swap.max"))).isEqualTo("67108864");
		assertThat(Files.readString(ve.resolve("cpu.max"))).as("the lower of 1.5 CPUs and 50%").isEqualTo("50000 100000");
		assertThat(Files.readString(ve.resolve("cpu.weight"))).isEqualTo("300");
		assertThat(Files.readString(ve.resolve("pids.max"))).isEqualTo("128");

		driver.apply("web", ResourceLimits.NONE);
		assertThat(Files.readString(ve.resolve("memory.max"))).isEqualTo("max");
		assertThat(Files.readString(ve.resolve("cpu.max"))).isEqualTo("max 100000");
		assertThat(Files.readString(ve.resolve("pids.max"))).isEqualTo("max");
	}

	@Test
	void aMissingControllerIsNamedWhenALimitNeedsIt() throws Exception {
		Files.delete(ve.resolve("pids.max"));
		CgroupV2Driver driver = new CgroupV2Driver(root, "cairn");
		driver.apply("web", ResourceLimits.NONE);
		assertThatThrownBy(() -> driver.apply("web", new ResourceLimits(0, 0, 0, 0, 100, 64)))
			.isInstanceOf(EngineException.class)
			.hasMessageContaining("pids controller");
	}

	@Test
	void usageIsReadFromTheV2Files() throws Exception {
		Files.writeString(ve.resolve("memory.current"), "1048576\n");
		Files.writeString(ve.resolve("memory.peak"), "2097152\n");
		Files.writeString(ve.resolve("memory.swap.current"), "4096\n");
		Files.writeString(ve.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");
		Files.writeString(ve.resolve("pids.current"), "7\n");
		Files.writeString(ve.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n");
		Files.writeString(ve.resolve("io.stat"), "7:0 rbytes=1000 wbytes=2000 rios=1 wios=2\n8:0 rbytes=10 wbytes=20\n");
		CgroupDriver.Usage usage = new CgroupV2Driver(root, "cairn").usage("web");
		assertThat(usage).isEqualTo(new CgroupDriver.Usage(1048576, 2097152, 4096, 1_500_000_000L, 7, 2,
				new VeUsage.Io(1010, 2020, 1, 2)));
	}

	@Test
	void createHandsTheControllersDown() throws Exception {
		new CgroupV2Driver(root, "cairn").create("other");
		assertThat(Files.readString(root.resolve("cgroup.subtree_control"))).isNotEmpty();
		assertThat(root.resolve("cairn/other")).isDirectory();
	}
}
