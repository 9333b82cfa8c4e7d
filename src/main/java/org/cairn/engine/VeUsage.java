// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import org.cairn.engine.network.VeTraffic;

/**
 * What a VE uses now, read from the kernel.
 * @param memoryBytes RAM in use (page cache included, as the kernel charges it)
 * @param memoryPeakBytes the most RAM used since the VE started
 * @param swapBytes swap in use
 * @param cpuNanos CPU time used since the VE started, ns
 * @param cpuPercent CPU used since the previous reading, in percent of one CPU (-1 on a first reading)
 * @param processes processes and threads
 * @param oomKills processes the kernel killed because the VE hit its memory limit
 * @param io block I/O
 * @param disk the VE's own disk, when it has one
 * @param network what the VE received and sent on its link
 */
public record VeUsage(String name, long memoryBytes, long memoryPeakBytes, long swapBytes, long cpuNanos,
		double cpuPercent, long processes, long oomKills, Io io, DiskUsage disk, VeTraffic network) {

	/** Block I/O: bytes and operations read and written, as the kernel charged them to the VE. */
	public record Io(long readBytes, long writeBytes, long reads, long writes) {

		public static final Io NONE = new Io(0, 0, 0, 0);
	}

	/** Space and inodes of a VE's disk, from statfs(2). */
	public record DiskUsage(long totalBytes, long usedBytes, long freeBytes, long inodes, long inodesUsed,
			long inodesFree) {

		public static final DiskUsage NONE = new DiskUsage(0, 0, 0, 0, 0, 0);
	}
}
