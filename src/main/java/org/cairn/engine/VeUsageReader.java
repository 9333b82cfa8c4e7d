// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.cairn.engine.cgroup.CgroupDriver;
import org.cairn.engine.network.RoutedNetwork;
import org.cairn.engine.network.VeTraffic;

/** What a VE uses now: its cgroups' counters, CPU % against the previous reading, its disk and its link. */
final class VeUsageReader {

	private final CgroupDriver cgroups;

	/** The previous CPU sample of each VE, for CPU %. */
	private final Map<String, long[]> cpuSamples = new ConcurrentHashMap<>();

	VeUsageReader(CgroupDriver cgroups) {
		this.cgroups = cgroups;
	}

	VeUsage read(VeDirectory ve) {
		String name = ve.name();
		if (!cgroups.exists(name)) {
			cpuSamples.remove(name);
			return new VeUsage(name, 0, 0, 0, 0, 0, 0, 0, VeUsage.Io.NONE, VeUsage.DiskUsage.NONE, VeTraffic.NONE);
		}
		long now = System.nanoTime();
		CgroupDriver.Usage usage = cgroups.usage(name);
		long[] previous = cpuSamples.put(name, new long[] { now, usage.cpuNanos() });
		// CPU % needs an earlier sample: the first call of a VE (or one after a long pause) cannot say
		double percent = -1;
		if (previous != null && now - previous[0] < 600_000_000_000L && now > previous[0]) {
			percent = Math.max(0, usage.cpuNanos() - previous[1]) * 100.0 / (now - previous[0]);
		}
		VeUsage.DiskUsage disk = VeUsage.DiskUsage.NONE;
		if (Files.exists(ve.state().resolve("disk"))) {
			disk = DiskQuota.usage(ve.readState("disk").split(" "));
		}
		OptionalLong holder = ve.networkHolder();
		VeTraffic traffic = holder.isPresent() ? RoutedNetwork.traffic(holder.getAsLong()) : VeTraffic.NONE;
		return new VeUsage(name, usage.memory(), usage.memoryPeak(), usage.swap(), usage.cpuNanos(),
				percent < 0 ? -1 : Math.round(percent * 10) / 10.0, usage.processes(), usage.oomKills(), usage.io(),
				disk, traffic);
	}
}
