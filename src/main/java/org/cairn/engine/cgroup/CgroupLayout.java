// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cairn.engine.EngineException;

/**
 * What the host mounts, read from /proc/self/mountinfo: pure cgroup v2, or v1 hierarchies (possibly with
 * an almost empty v2 mount beside them, the "hybrid" layout). Chooses the driver.
 */
public final class CgroupLayout {

	private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
			"freezer", "blkio", "pids");

	private CgroupLayout() {
	}

	/**
	 * @param mode {@code auto}, {@code v1} or {@code v2}
	 * @param v2Root the cgroup2 mount the v2 driver uses
	 */
	public static CgroupDriver driver(String mode, Path v2Root, String parent) {
		Map<String, Path> v1 = v1Hierarchies(Path.of("/proc/self/mountinfo"));
		return switch (mode) {
			case "v1" -> new CgroupV1Driver(v1, parent, unified(Path.of("/proc/self/mountinfo")));
			case "v2" -> new CgroupV2Driver(v2Root, parent);
			case "auto" -> v1.containsKey("freezer")
					? new CgroupV1Driver(v1, parent, unified(Path.of("/proc/self/mountinfo")))
					: new CgroupV2Driver(v2Root, parent);
			default -> throw new EngineException("cgroup driver '" + mode + "' must be auto, v1 or v2");
		};
	}

	/** The first cgroup2 mount beside v1 hierarchies (/sys/fs/cgroup/unified in the hybrid layout), if any. */
	static java.util.Optional<Path> unified(Path mountinfo) {
		for (String line : lines(mountinfo)) {
			String[] halves = line.split(" - ", 2);
			if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
				return java.util.Optional.of(Path.of(halves[0].split(" ")[4]));
			}
		}
		return java.util.Optional.empty();
	}

	private static List<String> lines(Path mountinfo) {
		try {
			return Files.readAllLines(mountinfo);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + mountinfo + ": " + ex.getMessage(), ex);
		}
	}

	/** Controller name to mount point of every mounted v1 hierarchy with a controller Cairn uses. */
	static Map<String, Path> v1Hierarchies(Path mountinfo) {
		Map<String, Path> hierarchies = new LinkedHashMap<>();
		for (String line : lines(mountinfo)) {
			String[] halves = line.split(" - ", 2);
			if (halves.length != 2) {
				continue;
			}
			String[] fields = halves[0].split(" ");
			String[] fsFields = halves[1].split(" ");
			if (fsFields.length < 3 || !fsFields[0].equals("cgroup")) {
				continue;
			}
			for (String option : fsFields[2].split(",")) {
				if (V1_CONTROLLERS.contains(option)) {
					// co-mounted controllers (cpu,cpuacct) share one directory: keep the first name only
					hierarchies.putIfAbsent(option, Path.of(fields[4]));
					break;
				}
			}
		}
		return hierarchies;
	}
}
