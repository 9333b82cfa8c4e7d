// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Path;
import java.util.List;

import org.cairn.engine.cgroup.CgroupDriver;

/** A cgroup for the engine's helpers of a VE (restic, rsync): its own, with the VE's CPU and I/O limits. */
interface HelperCgroup extends AutoCloseable {

	List<Path> procsFiles();

	@Override
	void close();

	/**
	 * The cgroup {@code NAME.helpers} (no VE name has a dot) with the VE's CPU and I/O limits and no memory or
	 * process limit: a backup of the VE costs the node what the VE may cost it, yet is not frozen with the VE (a
	 * consistent backup freezes it) nor killed by its memory limit. Removed on close.
	 */
	static HelperCgroup open(VeDirectory ve, CgroupDriver cgroups, VeRunner runner) {
		String name = ve.name();
		String helpers = name + ".helpers";
		ResourceLimits limits = ve.read().limits();
		cgroups.create(helpers);
		try {
			cgroups.apply(helpers, new ResourceLimits(0, 0, limits.cpus(), limits.cpuLimitPercent(), limits.cpuWeight(), 0, 0,
					0, limits.ioReadBps(), limits.ioWriteBps()));
			runner.applyIo(ve, helpers, limits);
		}
		catch (RuntimeException ex) {
			cgroups.remove(helpers);
			throw ex;
		}
		List<Path> procs = cgroups.procsFiles(helpers);
		return new HelperCgroup() {

			@Override
			public List<Path> procsFiles() {
				return procs;
			}

			@Override
			public void close() {
				cgroups.killAll(helpers);
				cgroups.remove(helpers);
			}
		};
	}
}
