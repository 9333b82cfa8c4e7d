// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the launcher needs to start a VE.
 * @param lower the template's tree, mapped read-only into the VE's ids
 * @param upper the VE's own writable layer, owned by {@code uidBase} on the host
 * @param merged where the VE's root is mounted inside its own mount namespace
 * @param idmapped where the mapped template is attached inside the VE's mount namespace
 * @param console the node's log of the VE's console (root's, mode 0600; the previous one is {@code console.1})
 * @param consoleBytes the most the console's logs take on the node
 * @param stateDir where the supervisor writes init.pid, supervisor.pid and exit
 * @param diskImage the VE's ext4 image holding upper and work, or null
 * @param diskDir where that image is mounted inside the VE's mount namespace, or null
 * @param lxcfs lxcfs's mount, for the VE's own /proc/meminfo and the like, or null
 * @param networkHook the script that builds the VE's network at each start, run when it exists, or null
 * @param runTmpfs /run and /run/lock as tmpfs (systemd's container interface)
 * @param cgroup2 the VE has a delegated cgroup2 subtree, mounted on its /sys/fs/cgroup
 * @param nesting the VE may make user and network namespaces of its own (containers inside it)
 * @param hold the VE's files only: its first process waits instead of running init (backups of a stopped VE)
 */
public record StartRequest(Path lower, Path upper, Path work, Path merged, Path idmapped, String hostname,
		long uidBase, long uidCount, Path console, long consoleBytes, Path stateDir, List<Path> cgroupProcs, List<String> init,
		@org.jspecify.annotations.Nullable Path diskImage, @org.jspecify.annotations.Nullable Path diskDir,
		@org.jspecify.annotations.Nullable Path lxcfs, @org.jspecify.annotations.Nullable Path networkHook,
		boolean runTmpfs, boolean cgroup2, boolean nesting, boolean hold) {
}
