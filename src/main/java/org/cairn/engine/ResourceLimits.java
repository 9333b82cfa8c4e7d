// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.Locale;
import java.util.Properties;

/**
 * What a VE may use. Zero means "no limit" for every figure but {@code cpuWeight}.
 * @param memoryBytes RAM, bytes
 * @param swapBytes swap beyond the RAM limit, bytes
 * @param cpus the number of CPUs the VE may keep busy (a CFS quota of {@code cpus} x 100 ms per 100 ms)
 * @param cpuLimitPercent a hard cap in percent of one CPU (150 = one and a half CPUs); with {@code cpus}
 * the lower of the two holds
 * @param cpuWeight relative share of a busy node's CPU, 1 to 10000 (cgroup v2's cpu.weight; 100 is the default)
 * @param pids processes and threads
 * @param diskBytes the VE's own disk (its writable layer, an ext4 image), bytes; 0: on the node's disk, unlimited
 * @param inodes files and directories on the VE's disk; 0: ext4's default for its size
 * @param ioReadBps reads from the VE's own disk, bytes per second; 0: no limit
 * @param ioWriteBps writes to the VE's own disk, bytes per second; 0: no limit (cgroup v1 throttles direct
 * I/O only: its page-cache writeback is not charged to the VE)
 */
public record ResourceLimits(long memoryBytes, long swapBytes, double cpus, int cpuLimitPercent, int cpuWeight,
		long pids, long diskBytes, long inodes, long ioReadBps, long ioWriteBps) {

	public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0, 0, 100, 0);

	public ResourceLimits(long memoryBytes, long swapBytes, double cpus, int cpuLimitPercent, int cpuWeight, long pids) {
		this(memoryBytes, swapBytes, cpus, cpuLimitPercent, cpuWeight, pids, 0, 0, 0, 0);
	}

	/** The node's RAM, from /proc/meminfo (0 when unknown). */
	static long nodeMemoryBytes() {
		return NodeMemory.BYTES;
	}

	/** Read once: every VE's limits are checked against it, and reading /proc/meminfo for each cost ve list 20 ms. */
	private static final class NodeMemory {

		static final long BYTES = read();

		private static long read() {
			try {
				for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
					if (line.startsWith("MemTotal:")) {
						return Long.parseLong(line.replaceAll("\\D", "")) << 10;
					}
				}
			}
			catch (java.io.IOException | NumberFormatException ex) {
				// unknown: the kernel still caps what it cannot give
			}
			return 0;
		}
	}

	/** One CFS period, µs. */
	public static final long CPU_PERIOD_US = 100_000;

	public ResourceLimits {
		if (memoryBytes < 0) {
			throw new EngineException("memory: must not be negative");
		}
		if (memoryBytes > 0 && memoryBytes < 16L << 20) {
			throw new EngineException("memory: at least 16M, or 0 for no limit");
		}
		long nodeMemory = nodeMemoryBytes();
		if (nodeMemory > 0 && memoryBytes > nodeMemory) {
			throw new EngineException("memory: " + (memoryBytes >> 20) + "M is more than this node's " + (nodeMemory >> 20)
					+ "M");
		}
		if (swapBytes < 0) {
			throw new EngineException("swap: must not be negative");
		}
		if (swapBytes > 0 && memoryBytes == 0) {
			throw new EngineException("swap: a swap limit needs a memory limit");
		}
		if (cpus < 0 || Double.isNaN(cpus)) {
			throw new EngineException("cpus: must not be negative");
		}
		int nodeCpus = Runtime.getRuntime().availableProcessors();
		if (cpus > nodeCpus) {
			throw new EngineException("cpus: " + cpus + " is more than this node's " + nodeCpus + " CPUs");
		}
		if (cpuLimitPercent < 0 || cpuLimitPercent > 100 * nodeCpus) {
			throw new EngineException("cpu-limit: must be between 1% and " + 100 * nodeCpus
					+ "% (all of this node's CPUs), or 0 for none");
		}
		if (cpuWeight < 1 || cpuWeight > 10000) {
			throw new EngineException("cpu-weight: must be between 1 and 10000");
		}
		if (pids < 0 || (pids > 0 && pids < 8)) {
			throw new EngineException("pids: at least 8, or 0 for no limit");
		}
		if (diskBytes < 0 || (diskBytes > 0 && diskBytes < 32L << 20)) {
			throw new EngineException("disk: at least 32M, or 0 for none");
		}
		if (inodes < 0 || (inodes > 0 && inodes < 1000)) {
			throw new EngineException("inodes: at least 1000, or 0 for ext4's default");
		}
		if (inodes > 0 && diskBytes == 0) {
			throw new EngineException("inodes: an inode limit needs a disk size");
		}
		for (var io : new Object[][] { { "io-read-bps", ioReadBps }, { "io-write-bps", ioWriteBps } }) {
			long bps = (Long) io[1];
			if (bps < 0 || (bps > 0 && bps < 64 << 10)) {
				throw new EngineException(io[0] + ": at least 64K per second, or 0 for no limit");
			}
			if (bps > 0 && diskBytes == 0) {
				throw new EngineException(io[0] + ": an I/O limit applies to the VE's own disk: give it one (--disk)");
			}
		}
	}

	/** The CFS quota per {@link #CPU_PERIOD_US}, µs, or 0 for none. */
	public long cpuQuotaMicros() {
		long byCpus = cpus > 0 ? Math.round(cpus * CPU_PERIOD_US) : 0;
		long byPercent = cpuLimitPercent > 0 ? cpuLimitPercent * CPU_PERIOD_US / 100 : 0;
		if (byCpus == 0) {
			return byPercent;
		}
		return byPercent == 0 ? byCpus : Math.min(byCpus, byPercent);
	}

	public ResourceLimits withMemory(long bytes) {
		return new ResourceLimits(bytes, swapBytes, cpus, cpuLimitPercent, cpuWeight, pids, diskBytes, inodes, ioReadBps,
				ioWriteBps);
	}

	public ResourceLimits withCpus(double count) {
		return new ResourceLimits(memoryBytes, swapBytes, count, cpuLimitPercent, cpuWeight, pids, diskBytes, inodes,
				ioReadBps, ioWriteBps);
	}

	public ResourceLimits withDisk(long bytes, long inodeCount) {
		return new ResourceLimits(memoryBytes, swapBytes, cpus, cpuLimitPercent, cpuWeight, pids, bytes, inodeCount,
				ioReadBps, ioWriteBps);
	}

	public ResourceLimits withIo(long readBps, long writeBps) {
		return new ResourceLimits(memoryBytes, swapBytes, cpus, cpuLimitPercent, cpuWeight, pids, diskBytes, inodes,
				readBps, writeBps);
	}

	void store(Properties p) {
		p.setProperty("limit.memory", Long.toString(memoryBytes));
		p.setProperty("limit.swap", Long.toString(swapBytes));
		p.setProperty("limit.cpus", Double.toString(cpus));
		p.setProperty("limit.cpu-limit", Integer.toString(cpuLimitPercent));
		p.setProperty("limit.cpu-weight", Integer.toString(cpuWeight));
		p.setProperty("limit.pids", Long.toString(pids));
		p.setProperty("limit.disk", Long.toString(diskBytes));
		p.setProperty("limit.inodes", Long.toString(inodes));
		p.setProperty("limit.io-read-bps", Long.toString(ioReadBps));
		p.setProperty("limit.io-write-bps", Long.toString(ioWriteBps));
	}

	static ResourceLimits load(Properties p) {
		return new ResourceLimits(Long.parseLong(p.getProperty("limit.memory", "0")),
				Long.parseLong(p.getProperty("limit.swap", "0")), Double.parseDouble(p.getProperty("limit.cpus", "0")),
				Integer.parseInt(p.getProperty("limit.cpu-limit", "0")),
				Integer.parseInt(p.getProperty("limit.cpu-weight", "100")), Long.parseLong(p.getProperty("limit.pids", "0")),
				Long.parseLong(p.getProperty("limit.disk", "0")), Long.parseLong(p.getProperty("limit.inodes", "0")),
				Long.parseLong(p.getProperty("limit.io-read-bps", "0")),
				Long.parseLong(p.getProperty("limit.io-write-bps", "0")));
	}

	/** Parses a size such as 512M, 2G, 1.5T or 65536 (bytes); names the option in its error. */
	public static long parseSize(String option, String text) {
		String value = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
		if (!value.matches("\\d+(\\.\\d+)?[KMGT]?B?")) {
			throw new EngineException(option + ": '" + text + "' is not a size such as 512M, 2G or 65536");
		}
		value = value.endsWith("B") ? value.substring(0, value.length() - 1) : value;
		long unit = switch (value.charAt(value.length() - 1)) {
			case 'K' -> 1L << 10;
			case 'M' -> 1L << 20;
			case 'G' -> 1L << 30;
			case 'T' -> 1L << 40;
			default -> 1;
		};
		String number = unit == 1 ? value : value.substring(0, value.length() - 1);
		double bytes = Double.parseDouble(number) * unit;
		if (bytes > Long.MAX_VALUE / 2) {
			throw new EngineException(option + ": '" + text + "' is too large");
		}
		return (long) bytes;
	}

	/** Parses a percentage such as 50% or 150. */
	public static int parsePercent(String option, String text) {
		String value = text == null ? "" : text.strip();
		if (!value.matches("\\d{1,5}%?")) {
			throw new EngineException(option + ": '" + text + "' is not a percentage such as 50%");
		}
		return Integer.parseInt(value.replace("%", ""));
	}
}
