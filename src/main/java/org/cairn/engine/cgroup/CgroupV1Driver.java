// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cairn.engine.EngineException;

/**
 * cgroup v1: the VE has a directory {@code PARENT/VE} in every mounted controller hierarchy (memory, cpu,
 * pids, freezer, ...). Freezing uses {@code freezer.state}.
 */
public final class CgroupV1Driver implements CgroupDriver {

	private final Map<String, Path> hierarchies;

	private final String parent;

	/**
	 * @param hierarchies controller name (the first of a co-mounted set) to its mount point
	 */
	public CgroupV1Driver(Map<String, Path> hierarchies, String parent) {
		if (!hierarchies.containsKey("freezer")) {
			throw new EngineException("cgroup v1 without a freezer hierarchy: mount it on /sys/fs/cgroup/freezer");
		}
		this.hierarchies = Map.copyOf(hierarchies);
		this.parent = parent;
	}

	@Override
	public String version() {
		return "v1";
	}

	private Path dir(String controller, String ve) {
		return hierarchies.get(controller).resolve(parent).resolve(ve);
	}

	@Override
	public void create(String ve) {
		for (var hierarchy : hierarchies.entrySet()) {
			Path parentDir = hierarchy.getValue().resolve(parent);
			Path dir = parentDir.resolve(ve);
			CgroupFiles.mkdir(dir);
			if (hierarchy.getKey().equals("cpuset")) {
				// a v1 cpuset cgroup takes no task until it has CPUs and memory nodes; checked every time,
				// since another engine thread may have made the parent a moment ago and not filled it yet
				inheritCpuset(hierarchy.getValue(), parentDir);
				inheritCpuset(parentDir, dir);
			}
		}
	}

	private static synchronized void inheritCpuset(Path from, Path to) {
		for (String file : new String[] { "cpuset.cpus", "cpuset.mems" }) {
			if (CgroupFiles.read(to.resolve(file)).isEmpty()) {
				CgroupFiles.write(to.resolve(file), CgroupFiles.read(from.resolve(file)));
			}
		}
	}

	@Override
	public boolean exists(String ve) {
		return Files.isDirectory(dir("freezer", ve));
	}

	@Override
	public List<Path> procsFiles(String ve) {
		List<Path> files = new ArrayList<>();
		for (String controller : hierarchies.keySet()) {
			files.add(dir(controller, ve).resolve("cgroup.procs"));
		}
		return files;
	}

	@Override
	public List<Long> pids(String ve) {
		return CgroupFiles.pids(dir("freezer", ve).resolve("cgroup.procs"));
	}

	@Override
	public void freeze(String ve) {
		Path state = dir("freezer", ve).resolve("freezer.state");
		CgroupFiles.write(state, "FROZEN");
		for (int attempt = 0; attempt < 500; attempt++) {
			if (CgroupFiles.read(state).equals("FROZEN")) {
				return;
			}
			CgroupFiles.sleep(10);
		}
		throw new EngineException("The VE " + ve + " did not freeze within 5 s");
	}

	@Override
	public void thaw(String ve) {
		CgroupFiles.write(dir("freezer", ve).resolve("freezer.state"), "THAWED");
	}

	@Override
	public boolean isFrozen(String ve) {
		Path state = dir("freezer", ve).resolve("freezer.state");
		return Files.exists(state) && !CgroupFiles.read(state).equals("THAWED");
	}

	@Override
	public void killAll(String ve) {
		if (!exists(ve)) {
			return;
		}
		// frozen, nothing can fork while the list is read; thawed, the killed can die
		freeze(ve);
		CgroupFiles.killEach(pids(ve));
		thaw(ve);
		for (int attempt = 0; attempt < 500 && !pids(ve).isEmpty(); attempt++) {
			CgroupFiles.killEach(pids(ve));
			CgroupFiles.sleep(10);
		}
		if (!pids(ve).isEmpty()) {
			throw new EngineException("Processes of the VE " + ve + " survived SIGKILL: " + pids(ve));
		}
	}

	@Override
	public void remove(String ve) {
		for (String controller : hierarchies.keySet()) {
			CgroupFiles.rmdir(dir(controller, ve));
		}
	}
}
