// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.math.BigDecimal;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.panel.plan.PlanForm;
import org.jspecify.annotations.Nullable;

/**
 * The admin's choice of a customer's plans and quota, as typed (sizes such as 4G; empty or 0: no limit).
 * {@link #quota()} checks it and names the field at fault.
 */
public record HoldingsForm(@Nullable List<Long> plans, @Nullable String maxVes, @Nullable String memory,
		@Nullable String disk, @Nullable String cpus, @Nullable String nodeGroup) {

	/** A form from before node groups: the customer is pinned to none. */
	public HoldingsForm(@Nullable List<Long> plans, @Nullable String maxVes, @Nullable String memory,
			@Nullable String disk, @Nullable String cpus) {
		this(plans, maxVes, memory, disk, cpus, null);
	}

	static HoldingsForm of(Holdings holdings) {
		Quota q = holdings.quota();
		return new HoldingsForm(holdings.plans().stream().map(p -> p.id()).toList(), Integer.toString(q.maxVes()),
				q.memoryBytes() == 0 ? "" : PlanForm.size(q.memoryBytes()), q.diskBytes() == 0 ? "" : PlanForm.size(q.diskBytes()),
				q.cpus().signum() == 0 ? "" : q.cpus().stripTrailingZeros().toPlainString(),
				holdings.nodeGroup() == null ? "" : holdings.nodeGroup());
	}

	/** The node group the customer's new VEs are placed in; empty: their plan's, or any node. */
	@Nullable String group() {
		try {
			return org.cairn.panel.fleet.NodeGroups.parse("nodeGroup", nodeGroup);
		}
		catch (org.cairn.panel.system.InputException ex) {
			throw new CustomerException("nodeGroup", ex.getMessage());
		}
	}

	List<Long> planIds() {
		return plans == null ? List.of() : plans.stream().distinct().toList();
	}

	Quota quota() {
		int ves = (int) whole("maxVes", maxVes, 10_000);
		long memoryBytes = size("memory", memory);
		long diskBytes = size("disk", disk);
		BigDecimal cpuCount = BigDecimal.ZERO;
		if (cpus != null && !cpus.isBlank()) {
			if (!cpus.strip().matches("\\d{1,4}(\\.\\d{1,2})?")) {
				throw new CustomerException("cpus", "must be a number such as 4 or 2.5, or empty for no limit");
			}
			cpuCount = new BigDecimal(cpus.strip());
		}
		return new Quota(ves, memoryBytes, diskBytes, cpuCount);
	}

	private static long whole(String field, @Nullable String text, long most) {
		if (text == null || text.isBlank()) {
			return 0;
		}
		if (!text.strip().matches("\\d{1,6}") || Long.parseLong(text.strip()) > most) {
			throw new CustomerException(field, "must be a whole number from 0 (no limit) to " + most);
		}
		return Long.parseLong(text.strip());
	}

	private static long size(String field, @Nullable String text) {
		if (text == null || text.isBlank()) {
			return 0;
		}
		try {
			return ResourceLimits.parseSize(field, text);
		}
		catch (EngineException ex) {
			throw new CustomerException(field, "'" + text + "' is not a size such as 4G or 512M");
		}
	}
}
