// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.time.LocalTime;

import org.cairn.engine.ResourceLimits;
import org.jspecify.annotations.Nullable;

/**
 * A plan as pages and the API show it: its limits in bytes and units, and how many customers hold it.
 * @param holders customers who hold the plan, or -1 where not counted
 */
public record PlanView(long id, String name, boolean retired, long memoryBytes, long swapBytes, double cpus,
		int cpuLimitPercent, int cpuWeight, long pids, long diskBytes, long inodes, long ioReadBps, long ioWriteBps,
		int ipv4Addresses, int ipv6Addresses, int backupsKept, @Nullable LocalTime backupTime, int snapshotsKept,
		java.util.List<String> templates, boolean nesting, int firewallRules, int ipv6Prefixes, int ipv6PrefixLength,
		TrafficAllowance traffic, long holders, @Nullable String nodeGroup) {

	static PlanView of(Plan plan) {
		return of(plan, -1);
	}

	static PlanView of(Plan plan, long holders) {
		ResourceLimits l = plan.limits();
		return new PlanView(plan.getId(), plan.getName(), plan.isRetired(), l.memoryBytes(), l.swapBytes(), l.cpus(),
				l.cpuLimitPercent(), l.cpuWeight(), l.pids(), l.diskBytes(), l.inodes(), l.ioReadBps(), l.ioWriteBps(),
				plan.getIpv4Addresses(), plan.getIpv6Addresses(), plan.getBackupsKept(), plan.getBackupTime(),
				plan.getSnapshotsKept(), plan.getTemplates(), plan.isNesting(), plan.getFirewallRules(),
				plan.getIpv6Prefixes(), plan.getIpv6PrefixLength(), plan.traffic(), holders, plan.getNodeGroup());
	}

	/** "all", "1", "1.5": the CPUs as an admin typed them. */
	public String cpusText() {
		return cpus == 0 ? "all" : cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
	}

	/** "512M" and the like, for pages. */
	public String text(long bytes) {
		return bytes == 0 ? "none" : PlanForm.size(bytes);
	}
}
