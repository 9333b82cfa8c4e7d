// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.cairn.engine.cgroup.CgroupDriver;

/**
 * What the engine does when it opens: finishes or rolls back what a crashed engine left half done (a create or
 * destroy, a held instance, a helpers' cgroup, an operation cut short); running VEs are adopted as they are.
 */
final class CrashRecovery {

	private final Path ves;

	private final Supplier<List<String>> names;

	private final VeLocks locks;

	private final CgroupDriver cgroups;

	private final VeRunner runner;

	CrashRecovery(Path ves, Supplier<List<String>> names, VeLocks locks, CgroupDriver cgroups, VeRunner runner) {
		this.ves = ves;
		this.names = names;
		this.locks = locks;
		this.cgroups = cgroups;
		this.runner = runner;
	}

	void run() {
		try (Stream<Path> entries = Files.list(ves)) {
			for (Path entry : entries.toList()) {
				String file = entry.getFileName().toString();
				if (file.startsWith(".new-") || file.startsWith(".destroying-")) {
					String name = file.replaceFirst("^\\.(new|destroying)-", "").replaceFirst("-\\d+$", "");
					// a create or destroy under way in another process holds the VE's lock: its files are not left over
					VeLocks.Held lock = locks.tryAcquire(name, Duration.ZERO);
					if (lock == null) {
						continue;
					}
					try (lock) {
						if (file.startsWith(".destroying-")) {
							cgroups.killAll(name);
							cgroups.remove(name);
						}
						Trees.delete(entry);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + ves + ": " + ex.getMessage(), ex);
		}
		for (String name : names.get()) {
			VeLocks.Held lock = locks.tryAcquire(name, Duration.ZERO);
			if (lock == null) {
				continue; // another process is working on it
			}
			try (lock) {
				VeDirectory ve = new VeDirectory(ves.resolve(name));
				runner.releaseHold(ve);
				// a helpers' cgroup left by a crash mid-backup
				if (cgroups.exists(name + ".helpers")) {
					cgroups.killAll(name + ".helpers");
					cgroups.remove(name + ".helpers");
				}
				if (ve.currentOperation().filter("checkpoint"::equals).isPresent()) {
					// a checkpoint cut short: its partial images go, and a VE it froze (only running ones are
					// checkpointed) runs on
					Trees.delete(ve.checkpointUnderWay());
					VeDirectory.deleteQuietly(ve.state().resolve("stop-requested"));
					if (runner.state(ve) == VeState.SUSPENDED) {
						cgroups.thaw(name);
					}
				}
				if (ve.currentOperation().isPresent()) {
					if (ve.currentOperation().get().equals("stop") || runner.state(ve) == VeState.STOPPED) {
						runner.stop(ve, Duration.ofSeconds(10));
					}
					ve.endOperation();
				}
				else if (runner.state(ve) == VeState.STOPPED && cgroups.exists(name)) {
					runner.cleanUpAfterStop(ve);
				}
			}
		}
	}
}
