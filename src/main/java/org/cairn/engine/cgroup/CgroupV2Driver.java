// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cairn.engine.EngineException;

/**
 * cgroup v2: the VE has one directory {@code ROOT/PARENT/VE} in the unified hierarchy. Freezing uses
 * {@code cgroup.freeze} and {@code cgroup.events}; killing uses {@code cgroup.kill} (kernel 5.14 and later).
 */
public final class CgroupV2Driver implements CgroupDriver {

	private final Path root;

	private final String parent;

	public CgroupV2Driver(Path root, String parent) {
		if (!Files.exists(root.resolve("cgroup.procs")) || Files.exists(root.resolve("tasks"))) {
			throw new EngineException(root + " is not a cgroup2 mount");
		}
		this.root = root;
		this.parent = parent;
	}

	@Override
	public String version() {
		return "v2";
	}

	private Path dir(String ve) {
		return root.resolve(parent).resolve(ve);
	}

	@Override
	public void create(String ve) {
		CgroupFiles.mkdir(dir(ve));
	}

	@Override
	public boolean exists(String ve) {
		return Files.isDirectory(dir(ve));
	}

	@Override
	public List<Path> procsFiles(String ve) {
		return List.of(dir(ve).resolve("cgroup.procs"));
	}

	@Override
	public List<Long> pids(String ve) {
		return CgroupFiles.pids(dir(ve).resolve("cgroup.procs"));
	}

	@Override
	public void freeze(String ve) {
		CgroupFiles.write(dir(ve).resolve("cgroup.freeze"), "1");
		for (int attempt = 0; attempt < 500; attempt++) {
			if (isFrozen(ve)) {
				return;
			}
			CgroupFiles.sleep(10);
		}
		throw new EngineException("The VE " + ve + " did not freeze within 5 s");
	}

	@Override
	public void thaw(String ve) {
		CgroupFiles.write(dir(ve).resolve("cgroup.freeze"), "0");
	}

	@Override
	public boolean isFrozen(String ve) {
		Path events = dir(ve).resolve("cgroup.events");
		return Files.exists(events) && CgroupFiles.read(events).lines().anyMatch(line -> line.equals("frozen 1"));
	}

	@Override
	public void killAll(String ve) {
		if (!exists(ve)) {
			return;
		}
		CgroupFiles.write(dir(ve).resolve("cgroup.kill"), "1");
		for (int attempt = 0; attempt < 500 && !pids(ve).isEmpty(); attempt++) {
			CgroupFiles.sleep(10);
		}
		if (!pids(ve).isEmpty()) {
			throw new EngineException("Processes of the VE " + ve + " survived cgroup.kill: " + pids(ve));
		}
	}

	@Override
	public void remove(String ve) {
		CgroupFiles.rmdir(dir(ve));
	}
}
