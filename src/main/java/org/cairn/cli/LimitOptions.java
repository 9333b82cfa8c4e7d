// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import picocli.CommandLine.Option;

/** The limits a VE is created or set with; an option left out keeps the current (or default) value. */
class LimitOptions {

	@Option(names = "--memory", paramLabel = "SIZE", description = "RAM, e.g. 256M or 2G (0: no limit).")
	String memory;

	@Option(names = "--swap", paramLabel = "SIZE", description = "Swap beyond the RAM limit (default 0).")
	String swap;

	@Option(names = "--cpus", paramLabel = "N", description = "CPUs the VE may keep busy, e.g. 1 or 1.5 (0: all).")
	String cpus;

	@Option(names = "--cpu-limit", paramLabel = "PERCENT", description = "Hard cap in %% of one CPU, e.g. 50%% (0: none).")
	String cpuLimit;

	@Option(names = "--cpu-weight", paramLabel = "N", description = "Share of a busy node's CPU, 1 to 10000 (default 100).")
	String cpuWeight;

	@Option(names = "--pids", paramLabel = "N", description = "Processes and threads (0: no limit).")
	String pids;

	@Option(names = "--disk", paramLabel = "SIZE", description = "The VE's own disk, e.g. 2G (set at create; grows on set).")
	String disk;

	@Option(names = "--inodes", paramLabel = "N", description = "Files on the VE's disk (set at create only).")
	String inodes;

	@Option(names = "--io-read-bps", paramLabel = "SIZE", description = "Reads from the VE's disk per second, e.g. 50M.")
	String ioRead;

	@Option(names = "--io-write-bps", paramLabel = "SIZE", description = "Writes to the VE's disk per second, e.g. 50M.")
	String ioWrite;

	ResourceLimits over(ResourceLimits current) {
		return new ResourceLimits(memory == null ? current.memoryBytes() : ResourceLimits.parseSize("memory", memory),
				swap == null ? current.swapBytes() : ResourceLimits.parseSize("swap", swap),
				cpus == null ? current.cpus() : number("cpus", cpus),
				cpuLimit == null ? current.cpuLimitPercent() : ResourceLimits.parsePercent("cpu-limit", cpuLimit),
				cpuWeight == null ? current.cpuWeight() : (int) integer("cpu-weight", cpuWeight),
				pids == null ? current.pids() : integer("pids", pids),
				disk == null ? current.diskBytes() : ResourceLimits.parseSize("disk", disk),
				inodes == null ? current.inodes() : integer("inodes", inodes),
				ioRead == null ? current.ioReadBps() : ResourceLimits.parseSize("io-read-bps", ioRead),
				ioWrite == null ? current.ioWriteBps() : ResourceLimits.parseSize("io-write-bps", ioWrite));
	}

	private static double number(String option, String text) {
		if (!text.strip().matches("\\d+(\\.\\d+)?")) {
			throw new EngineException(option + ": '" + text + "' is not a number such as 1 or 1.5");
		}
		return Double.parseDouble(text.strip());
	}

	private static long integer(String option, String text) {
		if (!text.strip().matches("\\d{1,9}")) {
			throw new EngineException(option + ": '" + text + "' is not a whole number");
		}
		return Long.parseLong(text.strip());
	}
}
