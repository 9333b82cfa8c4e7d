// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cairn.engine.NodeCapacity;
import org.cairn.engine.template.Template;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Where a new VE goes. The rule: among the nodes that take new VEs (active, answering, the template built there, room
 * for the plan's memory and disk without selling more than the node has, and the plan's addresses free in the
 * node's own pools), the one whose sold memory would be
 * the smallest share of its memory once the VE is there; ties go to the node with fewer VEs, then to a joined node
 * before the panel's own machine (which also serves the panel), then by name. The panel's own node takes part
 * unless {@code cairn.fleet.local-node} is off. Sold is what plans promise, not what VEs
 * use: a node is never sold beyond its memory or disk. A VE whose customer or plan is pinned to a node group (the
 * customer's pin first) is placed among that group's nodes only; the panel's own machine is in no group. A node's
 * addresses are those of its own pools and of its group's.
 */
@Service
public class Placement {

	/** The panel's own node's name on pages. */
	public static final String LOCAL = "local";

	/**
	 * What a new VE needs of its node: the plan's memory, disk and addresses, its template, and the node group it is
	 * pinned to (null: any node).
	 */
	public record Needs(long memoryBytes, long diskBytes, String template, int ipv4, int ipv6, int prefixes,
			int prefixLength, @Nullable String group) {
	}

	/**
	 * A node that may take a VE: its id (null for the panel's own), name, capacity, what is sold on it, and the free
	 * addresses of its pools (by family: 4, 6) and prefixes (by length).
	 */
	public record Candidate(@Nullable Long nodeId, String name, NodeCapacity capacity, List<String> templates,
			long soldMemoryBytes, long soldDiskBytes, int ves, Map<Integer, Long> freeAddresses,
			Map<Integer, Long> freePrefixes, @Nullable String group) {

		double memoryShareWith(long memoryBytes) {
			return capacity.memoryBytes() == 0 ? Double.MAX_VALUE
					: (double) (soldMemoryBytes + memoryBytes) / capacity.memoryBytes();
		}

		/** What this node lacks for the VE, in a customer's words; null when it can take it. */
		@Nullable String lacks(Needs needs) {
			if (!templates.contains(needs.template())) {
				return "the template " + needs.template();
			}
			if (soldMemoryBytes + needs.memoryBytes() > capacity.memoryBytes()) {
				return "memory for this plan";
			}
			if (capacity.diskBytes() > 0 && soldDiskBytes + needs.diskBytes() > capacity.diskBytes()) {
				return "disk for this plan";
			}
			if (freeAddresses.getOrDefault(4, 0L) < needs.ipv4()) {
				return "a free IPv4 address for this plan";
			}
			if (freeAddresses.getOrDefault(6, 0L) < needs.ipv6()) {
				return "a free IPv6 address for this plan";
			}
			if (needs.prefixes() > 0 && freePrefixes.getOrDefault(needs.prefixLength(), 0L) < needs.prefixes()) {
				return "a free IPv6 /" + needs.prefixLength() + " prefix for this plan";
			}
			return null;
		}
	}

	private final FleetEngines engines;

	private final FleetNodes nodes;

	private final JdbcClient jdbc;

	Placement(FleetEngines engines, FleetNodes nodes, JdbcClient jdbc) {
		this.engines = engines;
		this.nodes = nodes;
		this.jdbc = jdbc;
	}

	/**
	 * The node for a new VE; refused with what is missing when no node can take it. Called in the create's
	 * transaction, under the customer's lock; two customers' creates at the same moment may both pick the node with
	 * the most room, which the next creates even out (the addresses are taken after, and a node short of them
	 * refuses the create on the plan field).
	 */
	public Candidate place(Needs needs) {
		List<Candidate> all = candidates().stream()
			.filter(c -> needs.group() == null || needs.group().equals(c.group()))
			.toList();
		if (all.isEmpty() && needs.group() != null) {
			throw new FleetException("plan", "no node of the group " + needs.group() + " takes new VEs now; ask the host");
		}
		return all.stream()
			.filter(c -> c.lacks(needs) == null)
			.min(Comparator.comparingDouble((Candidate c) -> c.memoryShareWith(needs.memoryBytes()))
				.thenComparingInt(Candidate::ves)
				.thenComparing(c -> c.nodeId() == null)
				.thenComparing(Candidate::name))
			.orElseThrow(() -> new FleetException("plan", refusal(all, needs)));
	}

	/** Why no node takes the VE: what they all lack, when it is the same, else that none has room. */
	private static String refusal(List<Candidate> all, Needs needs) {
		if (all.isEmpty()) {
			return "no node takes new VEs now; ask the host";
		}
		java.util.Set<String> lacking = all.stream().map(c -> c.lacks(needs)).collect(java.util.stream.Collectors.toSet());
		return lacking.size() == 1 ? "no node has " + lacking.iterator().next() + " left; ask the host"
				: "no node has room for this plan now; ask the host";
	}

	/** Every node that takes new VEs now, with what is sold on it. */
	public List<Candidate> candidates() {
		record Sold(long memory, long disk, int ves) {
		}
		Map<Long, Sold> sold = jdbc.sql("""
				select coalesce(v.node_id, 0), sum(p.memory_bytes), sum(p.disk_bytes), count(*)
				from ve v join plan p on p.id = v.plan_id group by coalesce(v.node_id, 0)""")
			.query((rs, row) -> Map.entry(rs.getLong(1), new Sold(rs.getLong(2), rs.getLong(3), rs.getInt(4))))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		// a group's pool counts for each of its nodes: the first create to take an address has it
		Map<Long, Map<Integer, Long>> addresses = freeByNode("""
				select coalesce(p.node_id, 0), p.family, count(*) from ip_address a join ip_pool p on p.id = a.pool_id
				where a.ve_id is null and p.node_group is null group by 1, 2
				union all
				select n.id, p.family, count(*) from ip_address a join ip_pool p on p.id = a.pool_id
				join fleet_node n on n.node_group = p.node_group where a.ve_id is null group by 1, 2""");
		Map<Long, Map<Integer, Long>> prefixes = freeByNode("""
				select coalesce(p.node_id, 0), p.prefix_length, count(*) from ip_prefix x join ip_pool p on p.id = x.pool_id
				where x.ve_id is null and p.node_group is null group by 1, 2
				union all
				select n.id, p.prefix_length, count(*) from ip_prefix x join ip_pool p on p.id = x.pool_id
				join fleet_node n on n.node_group = p.node_group where x.ve_id is null group by 1, 2""");
		List<Candidate> candidates = new ArrayList<>();
		if (engines.hasLocalNode()) {
			Sold here = sold.getOrDefault(0L, new Sold(0, 0, 0));
			candidates.add(new Candidate(null, LOCAL, engines.local().capacity(),
					engines.local().templates().stream().map(Template::name).toList(), here.memory(), here.disk(),
					here.ves(), addresses.getOrDefault(0L, Map.of()), prefixes.getOrDefault(0L, Map.of()), null));
		}
		for (FleetNode node : nodes.all()) {
			if (node.joined() && node.state().equals("active") && node.health().reachable()) {
				Sold there = sold.getOrDefault(node.id(), new Sold(0, 0, 0));
				FleetNode.Health health = node.health();
				candidates.add(new Candidate(node.id(), node.name(), new NodeCapacity(health.memoryBytes(), health.cpus(),
						health.diskBytes(), health.diskFreeBytes()), health.templates(), there.memory(), there.disk(),
						there.ves(), addresses.getOrDefault(node.id(), Map.of()), prefixes.getOrDefault(node.id(), Map.of()),
						node.group()));
			}
		}
		return candidates;
	}

	/** Free addresses (or prefixes) by node (0: the panel's own machine), then by family (or length). */
	private Map<Long, Map<Integer, Long>> freeByNode(String query) {
		Map<Long, Map<Integer, Long>> free = new java.util.HashMap<>();
		jdbc.sql(query).query(rs -> {
			free.computeIfAbsent(rs.getLong(1), node -> new java.util.HashMap<>()).merge(rs.getInt(2), rs.getLong(3), Long::sum);
		});
		return free;
	}
}
