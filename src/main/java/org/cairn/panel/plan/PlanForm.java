// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.util.Map;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.backup.BackupSchedule;
import org.jspecify.annotations.Nullable;

/**
 * A plan as typed into the admin's form or sent to the API: sizes such as 512M or 2G, percentages such as 50%,
 * whole numbers, and a time such as 03:30 (empty: no scheduled backups). {@link #definition()} checks it and
 * names the field at fault. Empty limits mean none.
 */
public record PlanForm(@Nullable String name, @Nullable String memory, @Nullable String swap, @Nullable String cpus,
		@Nullable String cpuLimit, @Nullable String cpuWeight, @Nullable String pids, @Nullable String disk,
		@Nullable String inodes, @Nullable String ioRead, @Nullable String ioWrite, @Nullable String ipv4,
		@Nullable String ipv6, @Nullable String backupsKept, @Nullable String backupTime,
		@Nullable String snapshotsKept, @Nullable String templates, @Nullable String nesting,
		@Nullable String firewallRules, @Nullable String ipv6Prefixes, @Nullable String ipv6PrefixLength,
		@Nullable String trafficAllowance, @Nullable String trafficCounts, @Nullable String trafficDay,
		@Nullable String trafficOver, @Nullable String trafficThrottle, @Nullable String nodeGroup) {

	/** Rules per VE when a form says nothing (and for plans made before the firewall existed). */
	public static final int DEFAULT_FIREWALL_RULES = 20;

	/** A form from before the firewall: its VEs get the default number of rules. */
	public PlanForm(@Nullable String name, @Nullable String memory, @Nullable String swap, @Nullable String cpus,
			@Nullable String cpuLimit, @Nullable String cpuWeight, @Nullable String pids, @Nullable String disk,
			@Nullable String inodes, @Nullable String ioRead, @Nullable String ioWrite, @Nullable String ipv4,
			@Nullable String ipv6, @Nullable String backupsKept, @Nullable String backupTime,
			@Nullable String snapshotsKept, @Nullable String templates, @Nullable String nesting) {
		this(name, memory, swap, cpus, cpuLimit, cpuWeight, pids, disk, inodes, ioRead, ioWrite, ipv4, ipv6, backupsKept,
				backupTime, snapshotsKept, templates, nesting, null, null, null, null, null, null, null, null);
	}

	/** A form from before IPv6 prefixes: none. */
	public PlanForm(@Nullable String name, @Nullable String memory, @Nullable String swap, @Nullable String cpus,
			@Nullable String cpuLimit, @Nullable String cpuWeight, @Nullable String pids, @Nullable String disk,
			@Nullable String inodes, @Nullable String ioRead, @Nullable String ioWrite, @Nullable String ipv4,
			@Nullable String ipv6, @Nullable String backupsKept, @Nullable String backupTime,
			@Nullable String snapshotsKept, @Nullable String templates, @Nullable String nesting,
			@Nullable String firewallRules) {
		this(name, memory, swap, cpus, cpuLimit, cpuWeight, pids, disk, inodes, ioRead, ioWrite, ipv4, ipv6, backupsKept,
				backupTime, snapshotsKept, templates, nesting, firewallRules, null, null, null, null, null, null, null);
	}

	/** A form from before monthly traffic: no allowance. */
	public PlanForm(@Nullable String name, @Nullable String memory, @Nullable String swap, @Nullable String cpus,
			@Nullable String cpuLimit, @Nullable String cpuWeight, @Nullable String pids, @Nullable String disk,
			@Nullable String inodes, @Nullable String ioRead, @Nullable String ioWrite, @Nullable String ipv4,
			@Nullable String ipv6, @Nullable String backupsKept, @Nullable String backupTime,
			@Nullable String snapshotsKept, @Nullable String templates, @Nullable String nesting,
			@Nullable String firewallRules, @Nullable String ipv6Prefixes, @Nullable String ipv6PrefixLength) {
		this(name, memory, swap, cpus, cpuLimit, cpuWeight, pids, disk, inodes, ioRead, ioWrite, ipv4, ipv6, backupsKept,
				backupTime, snapshotsKept, templates, nesting, firewallRules, ipv6Prefixes, ipv6PrefixLength, null, null,
				null, null, null);
	}

	/** A form from before node groups: the plan's VEs go to any node. */
	public PlanForm(@Nullable String name, @Nullable String memory, @Nullable String swap, @Nullable String cpus,
			@Nullable String cpuLimit, @Nullable String cpuWeight, @Nullable String pids, @Nullable String disk,
			@Nullable String inodes, @Nullable String ioRead, @Nullable String ioWrite, @Nullable String ipv4,
			@Nullable String ipv6, @Nullable String backupsKept, @Nullable String backupTime,
			@Nullable String snapshotsKept, @Nullable String templates, @Nullable String nesting,
			@Nullable String firewallRules, @Nullable String ipv6Prefixes, @Nullable String ipv6PrefixLength,
			@Nullable String trafficAllowance, @Nullable String trafficCounts, @Nullable String trafficDay,
			@Nullable String trafficOver, @Nullable String trafficThrottle) {
		this(name, memory, swap, cpus, cpuLimit, cpuWeight, pids, disk, inodes, ioRead, ioWrite, ipv4, ipv6, backupsKept,
				backupTime, snapshotsKept, templates, nesting, firewallRules, ipv6Prefixes, ipv6PrefixLength,
				trafficAllowance, trafficCounts, trafficDay, trafficOver, trafficThrottle, null);
	}

	/** The engine names its options as the CLI does; the form's fields have names of their own. */
	private static final Map<String, String> FIELD_OF_OPTION = Map.of("memory", "memory", "swap", "swap", "cpus", "cpus",
			"cpu-limit", "cpuLimit", "cpu-weight", "cpuWeight", "pids", "pids", "disk", "disk", "inodes", "inodes",
			"io-read-bps", "ioRead", "io-write-bps", "ioWrite");

	static PlanForm empty() {
		return new PlanForm("", "512M", "0", "1", "", "100", "256", "10G", "", "", "", "1", "1", "7", "03:00", "3", "", "",
				Integer.toString(DEFAULT_FIREWALL_RULES), "0", "64", "", "both", "1", "throttle", "1M", "");
	}

	static PlanForm of(Plan plan) {
		ResourceLimits l = plan.limits();
		return new PlanForm(plan.getName(), size(l.memoryBytes()), size(l.swapBytes()), number(l.cpus()),
				l.cpuLimitPercent() == 0 ? "" : l.cpuLimitPercent() + "%", Integer.toString(l.cpuWeight()),
				Long.toString(l.pids()), size(l.diskBytes()), l.inodes() == 0 ? "" : Long.toString(l.inodes()),
				l.ioReadBps() == 0 ? "" : size(l.ioReadBps()), l.ioWriteBps() == 0 ? "" : size(l.ioWriteBps()),
				Integer.toString(plan.getIpv4Addresses()), Integer.toString(plan.getIpv6Addresses()),
				Integer.toString(plan.getBackupsKept()), plan.getBackupTime() == null ? "" : plan.getBackupTime().toString(),
				Integer.toString(plan.getSnapshotsKept()), String.join(" ", plan.getTemplates()),
				plan.isNesting() ? "true" : "", Integer.toString(plan.getFirewallRules()),
				Integer.toString(plan.getIpv6Prefixes()), Integer.toString(plan.getIpv6PrefixLength()),
				plan.traffic().limited() ? size(plan.traffic().bytes()) : "", plan.traffic().outOnly() ? "out" : "both",
				Integer.toString(plan.traffic().day()), plan.traffic().suspend() ? "suspend" : "throttle",
				Long.toString(plan.traffic().throttleBps()), plan.getNodeGroup() == null ? "" : plan.getNodeGroup());
	}

	/** 2G, 512M, 64K or plain bytes: the largest unit that divides the size. */
	public static String size(long bytes) {
		for (var unit : new Object[][] { { 40, "T" }, { 30, "G" }, { 20, "M" }, { 10, "K" } }) {
			long factor = 1L << (Integer) unit[0];
			if (bytes > 0 && bytes % factor == 0) {
				return bytes / factor + (String) unit[1];
			}
		}
		return Long.toString(bytes);
	}

	private static String number(double value) {
		return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
	}

	/** The checked plan; a {@link PlanException} naming the first field at fault otherwise. */
	public PlanDefinition definition() {
		String planName = name == null ? "" : name.strip();
		if (!planName.matches("[A-Za-z0-9][A-Za-z0-9 ._+-]{0,63}")) {
			throw new PlanException("name", "must be 1 to 64 letters, digits, spaces, '.', '_', '+' or '-'");
		}
		try {
			ResourceLimits limits = new ResourceLimits(sizeOf("memory", memory), sizeOf("swap", swap),
					decimal("cpus", cpus), blank(cpuLimit) ? 0 : ResourceLimits.parsePercent("cpu-limit", cpuLimit),
					(int) whole("cpu-weight", cpuWeight, 100), whole("pids", pids, 0), sizeOf("disk", disk),
					whole("inodes", inodes, 0), sizeOf("io-read-bps", ioRead), sizeOf("io-write-bps", ioWrite));
			int v4 = (int) bounded("ipv4", ipv4, 256);
			int v6 = (int) bounded("ipv6", ipv6, 256);
			int kept = (int) bounded("backupsKept", backupsKept, 1000);
			java.time.LocalTime time = null;
			if (!blank(backupTime)) {
				try {
					time = BackupSchedule.parseTime(backupTime.strip());
				}
				catch (EngineException ex) {
					throw new PlanException("backupTime", "must be a time of day such as 03:30, or empty for none");
				}
			}
			if (time != null && kept == 0) {
				throw new PlanException("backupsKept", "keep at least one backup when backups are scheduled");
			}
			// plans written before snapshots existed say nothing of them: none
			int snapshots = blank(snapshotsKept) ? 0 : (int) bounded("snapshotsKept", snapshotsKept, 100);
			int rules = blank(firewallRules) ? DEFAULT_FIREWALL_RULES
					: (int) bounded("firewallRules", firewallRules, org.cairn.engine.firewall.Firewall.MAX_RULES);
			int prefixes = blank(ipv6Prefixes) ? 0 : (int) bounded("ipv6Prefixes", ipv6Prefixes, 16);
			int prefixLength = blank(ipv6PrefixLength) ? 64
					: (int) bounded("ipv6PrefixLength", ipv6PrefixLength.strip().replaceFirst("^/", ""), 128);
			if (prefixLength < org.cairn.engine.network.VeNetwork.SHORTEST_PREFIX) {
				throw new PlanException("ipv6PrefixLength", "from /" + org.cairn.engine.network.VeNetwork.SHORTEST_PREFIX
						+ " to /128, such as 64");
			}
			return new PlanDefinition(planName, limits, v4, v6, kept, time, snapshots, templateNames(), nestingOn(), rules,
					prefixes, prefixLength, traffic(), group());
		}
		catch (EngineException ex) {
			String message = ex.getMessage();
			int colon = message.indexOf(':');
			String option = colon > 0 ? message.substring(0, colon) : "";
			throw new PlanException(FIELD_OF_OPTION.getOrDefault(option, "name"),
					colon > 0 ? message.substring(colon + 1).strip() : message);
		}
	}

	/** "debian-12 busybox" or "debian-12, busybox": the templates the plan offers; none: every one not hidden. */
	private java.util.List<String> templateNames() {
		if (blank(templates)) {
			return java.util.List.of();
		}
		java.util.List<String> names = new java.util.ArrayList<>();
		for (String name : templates.strip().split("[\\s,]+")) {
			if (!org.cairn.engine.template.TemplateImport.NAME.matcher(name).matches()) {
				throw new PlanException("templates", "'" + name + "' is not a template name; list names such as"
						+ " debian-12 busybox, or nothing for every template");
			}
			if (!names.contains(name)) {
				names.add(name);
			}
		}
		return java.util.List.copyOf(names);
	}

	/** The monthly traffic: an allowance such as 1T or 500G (empty: none) and what it means. */
	private TrafficAllowance traffic() {
		long bytes;
		try {
			bytes = blank(trafficAllowance) ? 0 : ResourceLimits.parseSize("trafficAllowance", trafficAllowance);
		}
		catch (EngineException ex) {
			throw new PlanException("trafficAllowance", "a size such as 500G or 1T, or empty for no allowance");
		}
		String counts = blank(trafficCounts) ? "both" : trafficCounts.strip();
		if (!counts.equals("both") && !counts.equals("out")) {
			throw new PlanException("trafficCounts", "both (what a VE sends and receives) or out (what it sends)");
		}
		int day = blank(trafficDay) ? 1 : (int) bounded("trafficDay", trafficDay, 28);
		if (day < 1) {
			throw new PlanException("trafficDay", "a day of the month from 1 to 28");
		}
		String over = blank(trafficOver) ? "throttle" : trafficOver.strip();
		if (!over.equals("throttle") && !over.equals("suspend")) {
			throw new PlanException("trafficOver", "throttle (what the VE sends) or suspend (the VE)");
		}
		long throttle;
		try {
			throttle = blank(trafficThrottle) ? 1_000_000
					: org.cairn.engine.network.VeNetwork.parseRate("trafficThrottle", trafficThrottle);
			new org.cairn.engine.network.VeNetwork(java.util.List.of(), java.util.List.of(), throttle);
		}
		catch (EngineException ex) {
			throw new PlanException("trafficThrottle", "a rate in bits per second from 64K, such as 1M");
		}
		return new TrafficAllowance(bytes, counts.equals("out"), day, over.equals("suspend"), throttle);
	}

	/** The node group the plan's VEs are placed in; empty: any node. */
	private @Nullable String group() {
		try {
			return org.cairn.panel.fleet.NodeGroups.parse("nodeGroup", nodeGroup);
		}
		catch (org.cairn.panel.system.InputException ex) {
			throw new PlanException("nodeGroup", ex.getMessage());
		}
	}

	/** A checkbox ("on"), the API's true or false; empty: off. */
	private boolean nestingOn() {
		if (blank(nesting) || nesting.strip().equals("false")) {
			return false;
		}
		if (nesting.strip().equals("true") || nesting.strip().equals("on")) {
			return true;
		}
		throw new PlanException("nesting", "true or false");
	}

	private static boolean blank(@Nullable String text) {
		return text == null || text.isBlank();
	}

	private static long sizeOf(String option, @Nullable String text) {
		return blank(text) ? 0 : ResourceLimits.parseSize(option, text);
	}

	private static double decimal(String option, @Nullable String text) {
		if (blank(text)) {
			return 0;
		}
		if (!text.strip().matches("\\d{1,4}(\\.\\d{1,2})?")) {
			throw new EngineException(option + ": '" + text + "' is not a number such as 1 or 1.5");
		}
		return Double.parseDouble(text.strip());
	}

	private static long whole(String option, @Nullable String text, long otherwise) {
		if (blank(text)) {
			return otherwise;
		}
		if (!text.strip().matches("\\d{1,12}")) {
			throw new EngineException(option + ": '" + text + "' is not a whole number");
		}
		return Long.parseLong(text.strip());
	}

	private static long bounded(String field, @Nullable String text, long most) {
		if (blank(text) || !text.strip().matches("\\d{1,6}") || Long.parseLong(text.strip()) > most) {
			throw new PlanException(field, "must be a whole number from 0 to " + most);
		}
		return Long.parseLong(text.strip());
	}
}
