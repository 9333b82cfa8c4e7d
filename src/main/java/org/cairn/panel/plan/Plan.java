// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.cairn.engine.ResourceLimits;
import org.jspecify.annotations.Nullable;

/** What a VE gets: the resources a host sells as one product. */
@Entity
@Table(name = "plan")
public class Plan {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false)
	private String name;

	@Column(name = "memory_bytes", nullable = false)
	private long memoryBytes;

	@Column(name = "swap_bytes", nullable = false)
	private long swapBytes;

	@Column(nullable = false, precision = 6, scale = 2)
	private BigDecimal cpus;

	@Column(name = "cpu_limit_percent", nullable = false)
	private int cpuLimitPercent;

	@Column(name = "cpu_weight", nullable = false)
	private int cpuWeight;

	@Column(nullable = false)
	private long pids;

	@Column(name = "disk_bytes", nullable = false)
	private long diskBytes;

	@Column(nullable = false)
	private long inodes;

	@Column(name = "io_read_bps", nullable = false)
	private long ioReadBps;

	@Column(name = "io_write_bps", nullable = false)
	private long ioWriteBps;

	@Column(name = "ipv4_addresses", nullable = false)
	private int ipv4Addresses;

	@Column(name = "ipv6_addresses", nullable = false)
	private int ipv6Addresses;

	@Column(name = "backups_kept", nullable = false)
	private int backupsKept;

	@Column(name = "snapshots_kept", nullable = false)
	private int snapshotsKept;

	@Column(name = "nesting", nullable = false)
	private boolean nesting;

	@Column(name = "node_group")
	private @Nullable String nodeGroup;

	@Column(name = "firewall_rules", nullable = false)
	private int firewallRules;

	@Column(name = "ipv6_prefixes", nullable = false)
	private int ipv6Prefixes;

	@Column(name = "ipv6_prefix_length", nullable = false)
	private int ipv6PrefixLength;

	@Column(name = "traffic_bytes", nullable = false)
	private long trafficBytes;

	@Column(name = "traffic_counts", nullable = false)
	private String trafficCounts = "both";

	@Column(name = "traffic_day", nullable = false)
	private int trafficDay = 1;

	@Column(name = "traffic_over", nullable = false)
	private String trafficOver = "throttle";

	@Column(name = "traffic_throttle_bps", nullable = false)
	private long trafficThrottleBps = 1_000_000;

	@jakarta.persistence.ElementCollection(fetch = jakarta.persistence.FetchType.EAGER)
	@jakarta.persistence.CollectionTable(name = "plan_template",
			joinColumns = @jakarta.persistence.JoinColumn(name = "plan_id"))
	@Column(name = "template")
	private java.util.Set<String> templates = new java.util.TreeSet<>();

	@Column(name = "backup_time")
	private @Nullable LocalTime backupTime;

	private boolean retired;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt = Instant.now();

	protected Plan() {
	}

	Plan(PlanDefinition definition) {
		apply(definition);
	}

	final void apply(PlanDefinition d) {
		this.name = d.name();
		this.memoryBytes = d.limits().memoryBytes();
		this.swapBytes = d.limits().swapBytes();
		this.cpus = BigDecimal.valueOf(d.limits().cpus());
		this.cpuLimitPercent = d.limits().cpuLimitPercent();
		this.cpuWeight = d.limits().cpuWeight();
		this.pids = d.limits().pids();
		this.diskBytes = d.limits().diskBytes();
		this.inodes = d.limits().inodes();
		this.ioReadBps = d.limits().ioReadBps();
		this.ioWriteBps = d.limits().ioWriteBps();
		this.ipv4Addresses = d.ipv4Addresses();
		this.ipv6Addresses = d.ipv6Addresses();
		this.backupsKept = d.backupsKept();
		this.snapshotsKept = d.snapshotsKept();
		this.templates.clear();
		this.templates.addAll(d.templates());
		this.nesting = d.nesting();
		this.nodeGroup = d.nodeGroup();
		this.firewallRules = d.firewallRules();
		this.ipv6Prefixes = d.ipv6Prefixes();
		this.ipv6PrefixLength = d.ipv6PrefixLength();
		this.trafficBytes = d.traffic().bytes();
		this.trafficCounts = d.traffic().outOnly() ? "out" : "both";
		this.trafficDay = d.traffic().day();
		this.trafficOver = d.traffic().suspend() ? "suspend" : "throttle";
		this.trafficThrottleBps = d.traffic().throttleBps();
		this.backupTime = d.backupTime();
	}

	/** The engine's limits for a VE on this plan. */
	public ResourceLimits limits() {
		return new ResourceLimits(memoryBytes, swapBytes, cpus.doubleValue(), cpuLimitPercent, cpuWeight, pids, diskBytes,
				inodes, ioReadBps, ioWriteBps);
	}

	public PlanDefinition definition() {
		return new PlanDefinition(name, limits(), ipv4Addresses, ipv6Addresses, backupsKept, backupTime, snapshotsKept,
				getTemplates(), nesting, firewallRules, ipv6Prefixes, ipv6PrefixLength, traffic(), nodeGroup);
	}

	public Long getId() {
		return id;
	}

	public String getName() {
		return name;
	}

	public int getIpv4Addresses() {
		return ipv4Addresses;
	}

	public int getIpv6Addresses() {
		return ipv6Addresses;
	}

	public int getBackupsKept() {
		return backupsKept;
	}

	/** Whether the plan's VEs may run containers of their own; set on each VE when it is made. */
	public boolean isNesting() {
		return nesting;
	}

	/** The node group this plan's VEs are placed in; null: any node. */
	public @Nullable String getNodeGroup() {
		return nodeGroup;
	}

	public int getFirewallRules() {
		return firewallRules;
	}

	public int getIpv6Prefixes() {
		return ipv6Prefixes;
	}

	public int getIpv6PrefixLength() {
		return ipv6PrefixLength;
	}

	public TrafficAllowance traffic() {
		return new TrafficAllowance(trafficBytes, "out".equals(trafficCounts), trafficDay, "suspend".equals(trafficOver),
				trafficThrottleBps);
	}

	/** The templates the plan offers, sorted; empty: every template that is not hidden. */
	public java.util.List<String> getTemplates() {
		return java.util.List.copyOf(new java.util.TreeSet<>(templates));
	}

	/** Whether the plan offers a template (hidden ones aside, which the caller checks). */
	public boolean offers(String template) {
		return templates.isEmpty() || templates.contains(template);
	}

	/** How many snapshots each VE of the plan may keep (0: none). */
	public int getSnapshotsKept() {
		return snapshotsKept;
	}

	public @Nullable LocalTime getBackupTime() {
		return backupTime;
	}

	public boolean isRetired() {
		return retired;
	}

	void setRetired(boolean retired) {
		this.retired = retired;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}
}
