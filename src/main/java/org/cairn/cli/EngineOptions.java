// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.nio.file.Path;

import org.cairn.engine.EngineSettings;
import org.cairn.engine.VeEngine;
import org.cairn.engine.network.NodeNetwork;
import picocli.CommandLine.Option;

/** The options every engine verb takes: which root (and, for tests and shared kernels, which cgroup parent). */
class EngineOptions {

	@Option(names = "--root", paramLabel = "DIR", defaultValue = "${env:CAIRN_ROOT:-/var/lib/cairn}",
			description = "The engine's root: templates, VEs, state (default: $CAIRN_ROOT or /var/lib/cairn).")
	Path root;

	@Option(names = "--cgroup-parent", paramLabel = "NAME", defaultValue = "${env:CAIRN_CGROUP_PARENT:-cairn}",
			description = "The cgroup under which VEs' cgroups are made (default: $CAIRN_CGROUP_PARENT or cairn).")
	String cgroupParent;

	@Option(names = "--first-uid", paramLabel = "UID", defaultValue = "${env:CAIRN_FIRST_UID:-1048576}",
			description = "The first host uid handed to VEs (default: $CAIRN_FIRST_UID or 1048576).")
	long firstUid;

	@Option(names = "--cgroup", paramLabel = "auto|v1|v2", defaultValue = "${env:CAIRN_CGROUP:-auto}",
			description = "The cgroup driver (default: $CAIRN_CGROUP or auto, from the host's layout).")
	String cgroup;

	@Option(names = "--node-netns", paramLabel = "PATH", defaultValue = "${env:CAIRN_NODE_NETNS:-}",
			description = "The network namespace for the node's side of VE networks, e.g. /proc/PID/ns/net"
					+ " (default: $CAIRN_NODE_NETNS or the host's own).")
	String nodeNetns;

	@Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "${env:CAIRN_WAIT:-120}",
			description = "How long to wait while another operation holds the VE; then give up with exit code 4"
					+ " (default: $CAIRN_WAIT or 120).")
	long waitSeconds;

	/** The engine for a verb that changes something: it first repairs what an interrupted operation left. */
	VeEngine open() {
		return VeEngine.open(settings());
	}

	/** The engine for a verb that only looks (list, status, usage) or runs a command in a VE (exec, console). */
	VeEngine openToLook() {
		return VeEngine.openWithoutRepairs(settings());
	}

	EngineSettings settings() {
		NodeNetwork node = nodeNetns == null || nodeNetns.isBlank() ? NodeNetwork.HOST : new NodeNetwork(Path.of(nodeNetns));
		return new EngineSettings(root, cgroupParent, firstUid, cgroup, Path.of("/sys/fs/cgroup")).withNode(node)
			.withLockWait(java.time.Duration.ofSeconds(waitSeconds));
	}
}
