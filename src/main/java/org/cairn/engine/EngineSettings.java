// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Path;

import org.cairn.engine.network.NodeNetwork;

/**
 * Where the engine keeps its state and how it names what it creates in the kernel.
 * @param root the engine's directory: templates, VEs, the launcher (default /var/lib/cairn)
 * @param cgroupParent the cgroup under which every VE's cgroup is made, so that several engines (tests,
 * nodes) on one kernel keep apart
 * @param firstUid the first host uid handed to VEs; each VE gets the next free block of {@link #IDS_PER_VE}
 * @param cgroup which cgroup driver to use: {@code auto} (from the host's layout), {@code v1} or {@code v2}
 * @param cgroupV2Root the cgroup2 mount for the v2 driver (default /sys/fs/cgroup)
 * @param debianMirror the Debian mirror debootstrap builds the debian-12 template from
 * @param lxcfs where lxcfs is mounted (default /var/lib/lxcfs); used when it runs
 * @param node where the node's side of VE networks lives (the host's own network namespace by default)
 * @param lockWait how long an operation waits while another one holds the VE (or the template, or the engine)
 * before it gives up with {@link EngineException.Busy}
 */
public record EngineSettings(Path root, String cgroupParent, long firstUid, String cgroup, Path cgroupV2Root,
		String debianMirror, Path lxcfs, NodeNetwork node, java.time.Duration lockWait) {

	public static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

	public static final Path DEFAULT_LXCFS = Path.of("/var/lib/lxcfs");

	public static final java.time.Duration DEFAULT_LOCK_WAIT = java.time.Duration.ofMinutes(2);

	public EngineSettings(Path root, String cgroupParent, long firstUid, String cgroup, Path cgroupV2Root) {
		this(root, cgroupParent, firstUid, cgroup, cgroupV2Root, DEFAULT_MIRROR, DEFAULT_LXCFS, NodeNetwork.HOST,
				DEFAULT_LOCK_WAIT);
	}

	public EngineSettings withNode(NodeNetwork newNode) {
		return new EngineSettings(root, cgroupParent, firstUid, cgroup, cgroupV2Root, debianMirror, lxcfs, newNode,
				lockWait);
	}

	public EngineSettings withLockWait(java.time.Duration wait) {
		return new EngineSettings(root, cgroupParent, firstUid, cgroup, cgroupV2Root, debianMirror, lxcfs, node, wait);
	}

	public static final int IDS_PER_VE = 65536;

	public static final Path DEFAULT_ROOT = Path.of("/var/lib/cairn");

	public EngineSettings {
		if (!cgroupParent.matches("[a-z][a-z0-9._-]{0,63}")) {
			throw new EngineException("cgroup parent '" + cgroupParent + "' must be a simple lower-case name");
		}
		// below 2^31: uids beyond it are negative to many programs (and to chown through a C int)
		if (firstUid < IDS_PER_VE || firstUid % IDS_PER_VE != 0 || firstUid >= (1L << 31)) {
			throw new EngineException("first uid must be a positive multiple of " + IDS_PER_VE + " below 2^31");
		}
		if (lockWait.isNegative()) {
			throw new EngineException("wait: the time to wait for another operation cannot be negative");
		}
	}

	/** The defaults of a node, with the given root. */
	public static EngineSettings forRoot(Path root) {
		return new EngineSettings(root, "cairn", 1L << 20, "auto", Path.of("/sys/fs/cgroup"));
	}
}
