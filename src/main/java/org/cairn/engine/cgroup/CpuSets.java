// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CPUs a VE sees: a VE sold N CPUs (a quota of N or a fraction above N-1) is given N of the node's CPUs
 * in its cpuset, so that nproc, sched_getaffinity(2) and busybox see N, as they would on a server with N
 * CPUs. The quota still says how much of them it uses. VEs start at different CPUs (from their name), so
 * that one-CPU VEs do not all crowd the first.
 */
final class CpuSets {

	private CpuSets() {
	}

	/** The cpuset list ("0-3,6") for a VE; {@code available} as the parent's cpuset.cpus says it. */
	static String forVe(String ve, double cpus, String available) {
		List<Integer> all = parse(available);
		if (cpus <= 0 || all.isEmpty() || Math.ceil(cpus) >= all.size()) {
			return available;
		}
		int wanted = (int) Math.ceil(cpus);
		int first = Math.floorMod(ve.hashCode(), all.size());
		List<Integer> chosen = new ArrayList<>();
		for (int i = 0; i < wanted; i++) {
			chosen.add(all.get((first + i) % all.size()));
		}
		return chosen.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
	}

	/** "0-3,6" to [0, 1, 2, 3, 6]. */
	static List<Integer> parse(String list) {
		List<Integer> cpus = new ArrayList<>();
		for (String part : list.strip().split(",")) {
			if (part.isBlank()) {
				continue;
			}
			String[] range = part.split("-");
			int from = Integer.parseInt(range[0].strip());
			int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
			for (int cpu = from; cpu <= to; cpu++) {
				cpus.add(cpu);
			}
		}
		return cpus;
	}
}
