// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeUsage;

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
	public java.util.Map<String, String> paths(String ve) {
		return java.util.Map.of("", "/" + parent + "/" + ve);
	}

	@Override
	public Path freezer(String ve) {
		return dir(ve);
	}

	@Override
	public void create(String ve) {
		// the controllers a VE's limits need, handed down from the root to the parent of VEs
		enableControllers(root);
		CgroupFiles.mkdir(root.resolve(parent));
		enableControllers(root.resolve(parent));
		CgroupFiles.mkdir(dir(ve));
	}

	private static void enableControllers(Path cgroup) {
		Path available = cgroup.resolve("cgroup.controllers");
		Path subtree = cgroup.resolve("cgroup.subtree_control");
		if (!Files.exists(available) || !Files.exists(subtree)) {
			return;
		}
		List<String> present = List.of(CgroupFiles.read(available).split("\\s+"));
		List<String> enabled = List.of(CgroupFiles.read(subtree).split("\\s+"));
		for (String controller : List.of("cpu", "cpuset", "memory", "pids", "io")) {
			if (present.contains(controller) && !enabled.contains(controller)) {
				try {
					CgroupFiles.write(subtree, "+" + controller);
				}
				catch (EngineException ex) {
					// a root with processes of its own cannot delegate; the limit write names what is missing
				}
			}
		}
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
	public boolean delegate(String ve, long rootUid) {
		CgroupFiles.delegate(dir(ve), rootUid);
		return true;
	}

	@Override
	public List<Path> procsFilesToEnter(String ve) {
		Path leaf = dir(ve).resolve(ENTERED);
		CgroupFiles.mkdir(leaf);
		return List.of(leaf.resolve("cgroup.procs"));
	}

	@Override
	public List<Long> pids(String ve) {
		List<Long> pids = new java.util.ArrayList<>();
		for (Path cgroup : CgroupFiles.tree(dir(ve))) {
			pids.addAll(CgroupFiles.pids(cgroup.resolve("cgroup.procs")));
		}
		return pids;
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
		return CgroupFiles.readIfPresent(events).filter(text -> text.lines().anyMatch(line -> line.equals("frozen 1")))
			.isPresent();
	}

	@Override
	public void killAll(String ve) {
		if (!exists(ve)) {
			return;
		}
		try {
			CgroupFiles.write(dir(ve).resolve("cgroup.kill"), "1");
			for (int attempt = 0; attempt < 500 && !pids(ve).isEmpty(); attempt++) {
				CgroupFiles.sleep(10);
			}
			if (!pids(ve).isEmpty()) {
				throw new EngineException("Processes of the VE " + ve + " survived cgroup.kill: " + pids(ve));
			}
		}
		catch (EngineException ex) {
			// the VE ended by itself meanwhile, and its supervisor removed the cgroup: nothing is left to kill
			if (exists(ve)) {
				throw ex;
			}
		}
	}

	@Override
	public void remove(String ve) {
		CgroupFiles.rmdirTree(dir(ve));
	}

	@Override
	public void apply(String ve, ResourceLimits limits) {
		Path dir = dir(ve);
		limit(dir, "memory.max", limits.memoryBytes() == 0 ? "max" : Long.toString(limits.memoryBytes()),
				limits.memoryBytes() > 0);
		limit(dir, "memory.swap.max", limits.memoryBytes() == 0 ? "max" : Long.toString(limits.swapBytes()),
				limits.memoryBytes() > 0);
		long quota = limits.cpuQuotaMicros();
		limit(dir, "cpu.max", (quota == 0 ? "max" : Long.toString(quota)) + " " + ResourceLimits.CPU_PERIOD_US,
				quota > 0);
		limit(dir, "cpu.weight", Integer.toString(limits.cpuWeight()), limits.cpuWeight() != 100);
		limit(dir, "pids.max", limits.pids() == 0 ? "max" : Long.toString(limits.pids()), limits.pids() > 0);
		// the CPUs it sees: without the cpuset controller, the quota alone holds and nproc shows the node's
		Path effective = dir.getParent().resolve("cpuset.cpus.effective");
		if (Files.exists(dir.resolve("cpuset.cpus")) && Files.exists(effective)) {
			String available = CgroupFiles.read(effective);
			String cpus = CpuSets.forVe(ve, limits.cpus(), available);
			CgroupFiles.write(dir.resolve("cpuset.cpus"), cpus.equals(available) ? "" : cpus);
		}
	}

	/** Writes a limit; a missing file is an error only when a limit is asked for. */
	private static void limit(Path dir, String file, String value, boolean required) {
		Path path = dir.resolve(file);
		if (Files.exists(path)) {
			CgroupFiles.write(path, value);
		}
		else if (required) {
			throw new EngineException("cgroup v2: " + path + " is missing: enable the " + file.split("\\.")[0]
					+ " controller for " + dir.getParent() + " (cgroup.subtree_control) to limit VEs");
		}
	}

	@Override
	public void applyIo(String ve, String device, long readBps, long writeBps) {
		limit(dir(ve), "io.max", device + " rbps=" + (readBps == 0 ? "max" : readBps) + " wbps="
				+ (writeBps == 0 ? "max" : writeBps), readBps > 0 || writeBps > 0);
	}

	@Override
	public Usage usage(String ve) {
		Path dir = dir(ve);
		// io.stat: one line per device, "MAJOR:MINOR rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N"
		long[] sums = new long[4];
		List<String> keys = List.of("rbytes", "wbytes", "rios", "wios");
		Path io = dir.resolve("io.stat");
		if (Files.exists(io)) {
			for (String line : CgroupFiles.read(io).split("\n")) {
				for (String field : line.trim().split("\\s+")) {
					int equals = field.indexOf('=');
					int key = equals > 0 ? keys.indexOf(field.substring(0, equals)) : -1;
					if (key >= 0) {
						sums[key] += Long.parseLong(field.substring(equals + 1));
					}
				}
			}
		}
		long processes = Files.exists(dir.resolve("pids.current")) ? CgroupFiles.number(dir.resolve("pids.current"))
				: pids(ve).size();
		return new Usage(CgroupFiles.number(dir.resolve("memory.current")),
				CgroupFiles.number(dir.resolve("memory.peak")), CgroupFiles.number(dir.resolve("memory.swap.current")),
				CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec") * 1000, processes,
				CgroupFiles.keyed(dir.resolve("memory.events"), "oom_kill"),
				new VeUsage.Io(sums[0], sums[1], sums[2], sums[3]));
	}
}
