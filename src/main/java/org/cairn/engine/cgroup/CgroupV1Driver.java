// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeUsage;

/**
 * cgroup v1: the VE has a directory {@code PARENT/VE} in every mounted controller hierarchy (memory, cpu,
 * pids, freezer, ...). Freezing uses {@code freezer.state}. Where a cgroup2 hierarchy is mounted beside them
 * (the "hybrid" layout), the VE also has a directory there that holds no controller: its init's own tree
 * (systemd's). What the init does there moves nothing out of the v1 cgroups that limit it.
 */
public final class CgroupV1Driver implements CgroupDriver {

	private final Map<String, Path> hierarchies;

	private final String parent;

	private final java.util.Optional<Path> unified;

	/**
	 * @param hierarchies controller name (the first of a co-mounted set) to its mount point
	 * @param unified the cgroup2 mount beside them, if any
	 */
	public CgroupV1Driver(Map<String, Path> hierarchies, String parent, java.util.Optional<Path> unified) {
		if (!hierarchies.containsKey("freezer")) {
			throw new EngineException("cgroup v1 without a freezer hierarchy: mount it on /sys/fs/cgroup/freezer");
		}
		this.hierarchies = Map.copyOf(hierarchies);
		this.parent = parent;
		this.unified = unified;
	}

	private java.util.Optional<Path> unifiedDir(String ve) {
		return unified.map(root -> root.resolve(parent).resolve(ve));
	}

	@Override
	public String version() {
		return "v1";
	}

	private Path dir(String controller, String ve) {
		return hierarchies.get(controller).resolve(parent).resolve(ve);
	}

	@Override
	public Map<String, String> paths(String ve) {
		Map<String, String> paths = new java.util.TreeMap<>();
		hierarchies.keySet().forEach(controller -> paths.put(controller, "/" + parent + "/" + ve));
		unified.ifPresent(root -> paths.put("", "/" + parent + "/" + ve));
		return paths;
	}

	@Override
	public Path freezer(String ve) {
		return dir("freezer", ve);
	}

	@Override
	public void create(String ve) {
		for (var hierarchy : hierarchies.entrySet()) {
			Path parentDir = hierarchy.getValue().resolve(parent);
			Path dir = parentDir.resolve(ve);
			CgroupFiles.mkdir(dir);
			if (hierarchy.getKey().equals("devices")) {
				allowDevices(dir);
			}
			if (hierarchy.getKey().equals("cpuset")) {
				// a v1 cpuset cgroup takes no task until it has CPUs and memory nodes; checked every time,
				// since another engine thread may have made the parent a moment ago and not filled it yet
				inheritCpuset(hierarchy.getValue(), parentDir);
				inheritCpuset(parentDir, dir);
			}
		}
		unifiedDir(ve).ifPresent(CgroupFiles::mkdir);
	}

	private static void allowDevices(Path dir) {
		CgroupFiles.write(dir.resolve("devices.deny"), "a");
		for (String rule : CgroupDriver.ALLOWED_DEVICES) {
			CgroupFiles.write(dir.resolve("devices.allow"), rule);
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
		unifiedDir(ve).ifPresent(dir -> files.add(dir.resolve("cgroup.procs")));
		return files;
	}

	@Override
	public boolean delegate(String ve, long rootUid) {
		unifiedDir(ve).ifPresent(dir -> CgroupFiles.delegate(dir, rootUid));
		return unified.isPresent();
	}

	@Override
	public List<Path> procsFilesToEnter(String ve) {
		List<Path> files = new ArrayList<>();
		for (String controller : hierarchies.keySet()) {
			files.add(dir(controller, ve).resolve("cgroup.procs"));
		}
		unifiedDir(ve).ifPresent(dir -> {
			CgroupFiles.mkdir(dir.resolve(ENTERED));
			files.add(dir.resolve(ENTERED).resolve("cgroup.procs"));
		});
		return files;
	}

	@Override
	public List<Long> pids(String ve) {
		return CgroupFiles.pids(dir("freezer", ve).resolve("cgroup.procs"));
	}

	@Override
	public void freeze(String ve) {
		if (!tryFreeze(ve, 500)) {
			// left half-frozen, the VE would hang: what froze is thawed again
			thaw(ve);
			throw new EngineException("The VE " + ve + " did not freeze within 5 s");
		}
	}

	/** Freezes the VE, waiting at most {@code attempts} x 10 ms; false (still freezing) when that was not enough. */
	private boolean tryFreeze(String ve, int attempts) {
		Path state = dir("freezer", ve).resolve("freezer.state");
		CgroupFiles.write(state, "FROZEN");
		for (int attempt = 0; attempt < attempts; attempt++) {
			if (CgroupFiles.read(state).equals("FROZEN")) {
				return true;
			}
			CgroupFiles.sleep(10);
		}
		return false;
	}

	@Override
	public void thaw(String ve) {
		CgroupFiles.write(dir("freezer", ve).resolve("freezer.state"), "THAWED");
	}

	@Override
	public boolean isFrozen(String ve) {
		Path state = dir("freezer", ve).resolve("freezer.state");
		return CgroupFiles.readIfPresent(state).filter(text -> !text.equals("THAWED")).isPresent();
	}

	@Override
	public void killAll(String ve) {
		if (!exists(ve)) {
			return;
		}
		try {
			// frozen, nothing can fork while the list is read; thawed, the killed can die. A task in uninterruptible
			// sleep (writing back a large file to the VE's disk, say) holds a freeze up: then the VE is killed
			// unfrozen, again and again until nothing is left, as a fork between two rounds is killed in the next.
			try {
				tryFreeze(ve, 200);
				CgroupFiles.killEach(pids(ve));
			}
			finally {
				thaw(ve);
			}
			for (int attempt = 0; attempt < 3000 && !pids(ve).isEmpty(); attempt++) {
				CgroupFiles.killEach(pids(ve));
				CgroupFiles.sleep(10);
			}
			if (!pids(ve).isEmpty()) {
				throw new EngineException("Processes of the VE " + ve + " survived SIGKILL for 30 s: " + pids(ve));
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
		for (String controller : hierarchies.keySet()) {
			CgroupFiles.rmdir(dir(controller, ve));
		}
		unifiedDir(ve).ifPresent(CgroupFiles::rmdirTree);
	}

	@Override
	public void apply(String ve, ResourceLimits limits) {
		if (hierarchies.containsKey("memory")) {
			Path memory = dir("memory", ve);
			Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
			boolean swapAccounting = Files.exists(memsw);
			// memory+swap may never be below memory: lift it first, set memory, then the sum
			if (swapAccounting) {
				CgroupFiles.write(memsw, "-1");
			}
			CgroupFiles.write(memory.resolve("memory.limit_in_bytes"),
					limits.memoryBytes() == 0 ? "-1" : Long.toString(limits.memoryBytes()));
			if (swapAccounting && limits.memoryBytes() > 0) {
				CgroupFiles.write(memsw, Long.toString(limits.memoryBytes() + limits.swapBytes()));
			}
			else if (!swapAccounting && limits.memoryBytes() > 0 && limits.swapBytes() == 0) {
				CgroupFiles.write(memory.resolve("memory.swappiness"), "0");
			}
		}
		if (hierarchies.containsKey("cpu")) {
			Path cpu = dir("cpu", ve);
			CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(ResourceLimits.CPU_PERIOD_US));
			long quota = limits.cpuQuotaMicros();
			CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), quota == 0 ? "-1" : Long.toString(quota));
			// v1 shares: 1024 is the default, as weight 100 is on v2
			CgroupFiles.write(cpu.resolve("cpu.shares"), Long.toString(Math.max(2, limits.cpuWeight() * 1024L / 100)));
		}
		if (hierarchies.containsKey("cpuset")) {
			String available = CgroupFiles.read(hierarchies.get("cpuset").resolve(parent).resolve("cpuset.cpus"));
			CgroupFiles.write(dir("cpuset", ve).resolve("cpuset.cpus"), CpuSets.forVe(ve, limits.cpus(), available));
		}
		if (hierarchies.containsKey("pids")) {
			CgroupFiles.write(dir("pids", ve).resolve("pids.max"),
					limits.pids() == 0 ? "max" : Long.toString(limits.pids()));
		}
	}

	@Override
	public void applyIo(String ve, String device, long readBps, long writeBps) {
		if (!hierarchies.containsKey("blkio")) {
			if (readBps > 0 || writeBps > 0) {
				throw new EngineException("cgroup v1 without a blkio hierarchy: I/O cannot be limited");
			}
			return;
		}
		Path dir = dir("blkio", ve);
		// "MAJ:MIN 0" removes a device's limit
		CgroupFiles.write(dir.resolve("blkio.throttle.read_bps_device"), device + " " + readBps);
		CgroupFiles.write(dir.resolve("blkio.throttle.write_bps_device"), device + " " + writeBps);
	}

	@Override
	public Usage usage(String ve) {
		long memory = 0;
		long peak = 0;
		long swap = 0;
		long oomKills = 0;
		if (hierarchies.containsKey("memory")) {
			Path dir = dir("memory", ve);
			memory = CgroupFiles.number(dir.resolve("memory.usage_in_bytes"));
			peak = CgroupFiles.number(dir.resolve("memory.max_usage_in_bytes"));
			long memsw = CgroupFiles.number(dir.resolve("memory.memsw.usage_in_bytes"));
			swap = memsw > memory ? memsw - memory : 0;
			oomKills = CgroupFiles.keyed(dir.resolve("memory.oom_control"), "oom_kill");
		}
		long cpu = hierarchies.containsKey("cpuacct") ? CgroupFiles.number(dir("cpuacct", ve).resolve("cpuacct.usage")) : 0;
		long processes = hierarchies.containsKey("pids") ? CgroupFiles.number(dir("pids", ve).resolve("pids.current"))
				: pids(ve).size();
		VeUsage.Io io = VeUsage.Io.NONE;
		if (hierarchies.containsKey("blkio")) {
			Path dir = dir("blkio", ve);
			long[] bytes = readAndWrite(dir.resolve("blkio.throttle.io_service_bytes_recursive"));
			long[] operations = readAndWrite(dir.resolve("blkio.throttle.io_serviced_recursive"));
			io = new VeUsage.Io(bytes[0], bytes[1], operations[0], operations[1]);
		}
		return new Usage(memory, peak, swap, cpu, processes, oomKills, io);
	}

	/** The "Read" and "Write" totals of a blkio file: lines of "MAJOR:MINOR Read|Write|... N". */
	private static long[] readAndWrite(Path file) {
		long[] sums = new long[2];
		if (Files.exists(file)) {
			for (String line : CgroupFiles.read(file).split("\n")) {
				String[] parts = line.trim().split("\\s+");
				if (parts.length == 3 && parts[1].equals("Read")) {
					sums[0] += Long.parseLong(parts[2]);
				}
				else if (parts.length == 3 && parts[1].equals("Write")) {
					sums[1] += Long.parseLong(parts[2]);
				}
			}
		}
		return sums;
	}
}
