// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.time.LocalTime;

import org.cairn.engine.ResourceLimits;
import org.jspecify.annotations.Nullable;

/**
 * A plan as an admin defines it, checked: a VE's limits (as the engine takes them), the addresses it gets
 * from the pools, its backups (how many are kept, and a daily time, or none), how many snapshots a VE may
 * keep, the templates its customers may choose (none listed: every one that is not hidden), and whether its VEs
 * may run containers of their own (nesting), how many inbound firewall rules each VE may have, and how many IPv6 prefixes of which length it
 * gets routed whole, and the node group its VEs are placed in (null: any node).
 */
public record PlanDefinition(String name, ResourceLimits limits, int ipv4Addresses, int ipv6Addresses,
		int backupsKept, @Nullable LocalTime backupTime, int snapshotsKept, java.util.List<String> templates,
		boolean nesting, int firewallRules, int ipv6Prefixes, int ipv6PrefixLength, TrafficAllowance traffic,
		@Nullable String nodeGroup) {
}
