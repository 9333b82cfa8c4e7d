// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.nio.file.Path;

import org.cairn.engine.VeUsage;
import java.util.List;

import org.cairn.engine.ResourceLimits;

/**
 * One VE's cgroup: where its processes are placed, frozen, counted and killed. Two implementations:
 * {@link CgroupV1Driver} (one directory per controller hierarchy) and {@link CgroupV2Driver} (one
 * directory in the unified hierarchy).
 */
public interface CgroupDriver {

	/**
	 * The devices a VE may use (LXC's and runc's list), as v1's devices.allow rules: what the launcher binds into
	 * its /dev, its own terminals, and fuse; nothing else, even if a device node reached it. Making nodes stays
	 * allowed as runc does (the kernel refuses it to a user namespace anyway). The v1 driver writes them; on v2
	 * the launcher attaches them as an eBPF device program.
	 */
	java.util.List<String> ALLOWED_DEVICES = java.util.List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm",
			"c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:229 rwm");


	/** "v1" or "v2". */
	String version();

	/** Creates the VE's cgroup; does nothing when it exists. */
	void create(String ve);

	boolean exists(String ve);

	/** The {@code cgroup.procs} files the VE's init joins. */
	List<Path> procsFiles(String ve);

	/**
	 * Hands the VE's root a cgroup2 subtree of its own: the root of its cgroup namespace, where its init (systemd)
	 * makes its own slices and services. The limits stay above, in files the VE cannot write. Returns false when
	 * there is no cgroup2 hierarchy to delegate (a v1 host without one mounted).
	 */
	boolean delegate(String ve, long rootUid);

	/**
	 * The {@code cgroup.procs} files a process that enters the running VE joins: in the delegated tree, a leaf of
	 * the engine's own ({@value #ENTERED}), since a cgroup whose init enabled controllers below takes no process.
	 */
	List<Path> procsFilesToEnter(String ve);

	/** The leaf where processes that enter a VE from outside (exec, console) are placed. */
	String ENTERED = ".cairn-entered";

	/** Host pids of every process in the VE's cgroup, also in the cgroups its init made. */
	List<Long> pids(String ve);

	/**
	 * The VE's cgroup in each hierarchy it has one in, as a path from that hierarchy's root ("/cairn/NAME"), by the
	 * hierarchy's (first) controller, "" for the cgroup2 one: as /proc/PID/cgroup and CRIU name them.
	 */
	java.util.Map<String, String> paths(String ve);

	/** The directory whose freezer stops the whole VE at once (v1: its freezer cgroup; v2: its cgroup). */
	Path freezer(String ve);

	/** Freezes every process; returns when the kernel reports them frozen. */
	void freeze(String ve);

	void thaw(String ve);

	boolean isFrozen(String ve);

	/** Kills every process and waits until the cgroup is empty. */
	void killAll(String ve);

	/** Removes the VE's cgroup and those its init made, which must be empty; does nothing when it does not exist. */
	void remove(String ve);

	/** Writes the limits into the VE's cgroup; takes effect at once on running processes. */
	void apply(String ve, ResourceLimits limits);

	/**
	 * Throttles the VE's I/O on one block device (its disk's loop device).
	 * @param device "MAJOR:MINOR"
	 * @param readBps bytes per second, 0 for no limit
	 */
	void applyIo(String ve, String device, long readBps, long writeBps);

	/** The kernel's accounting of the VE's cgroup. */
	Usage usage(String ve);

	/**
	 * Raw figures from the cgroup files.
	 * @param cpuNanos CPU time, ns
	 */
	record Usage(long memory, long memoryPeak, long swap, long cpuNanos, long processes, long oomKills,
			VeUsage.Io io) {
	}
}
