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
 * Where a new VE goes. The rule: among the nodes that take new VEs (active, answering, the template built there, and
 * room for the plan's memory and disk without selling more than the node has), the one whose sold memory would be
 * the smallest share of its memory once the VE is there; ties go to the node with fewer VEs, then to a joined node
 * before the panel's own machine (which also serves the panel), then by name. The panel's own node takes part
 * unless {@code cairn.fleet.local-node} is off. Sold is what plans promise, not what VEs
 * use: a node is never sold beyond its memory or disk.
 */
@Service
public class Placement {

	/** The panel's own node's name on pages. */
	public static final String LOCAL = "local";

	/** A node that may take a VE: its id (null for the panel's own), name, capacity, and what is sold on it. */
	public record Candidate(@Nullable Long nodeId, String name, NodeCapacity capacity, List<String> templates,
			long soldMemoryBytes, long soldDiskBytes, int ves) {

		double memoryShareWith(long memoryBytes) {
			return capacity.memoryBytes() == 0 ? Double.MAX_VALUE
					: (double) (soldMemoryBytes + memoryBytes) / capacity.memoryBytes();
		}

		boolean fits(long memoryBytes, long diskBytes, String template) {
			return templates.contains(template) && soldMemoryBytes + memoryBytes <= capacity.memoryBytes()
					&& (capacity.diskBytes() == 0 || soldDiskBytes + diskBytes <= capacity.diskBytes());
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
	 * The node for a VE of {@code memoryBytes} and {@code diskBytes} made from {@code template}; refused with what
	 * is missing when no node can take it. Called in the create's transaction, under the customer's lock; two
	 * customers' creates at the same moment may both pick the node with the most room, which the next creates even
	 * out.
	 */
	public Candidate place(long memoryBytes, long diskBytes, String template) {
		List<Candidate> all = candidates();
		return all.stream()
			.filter(c -> c.fits(memoryBytes, diskBytes, template))
			.min(Comparator.comparingDouble((Candidate c) -> c.memoryShareWith(memoryBytes))
				.thenComparingInt(Candidate::ves)
				.thenComparing(c -> c.nodeId() == null)
				.thenComparing(Candidate::name))
			.orElseThrow(() -> new FleetException("plan", all.isEmpty() ? "no node takes new VEs now; ask the host"
					: "no node has room for this plan with the template " + template + " now; ask the host"));
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
		List<Candidate> candidates = new ArrayList<>();
		if (engines.hasLocalNode()) {
			Sold here = sold.getOrDefault(0L, new Sold(0, 0, 0));
			candidates.add(new Candidate(null, LOCAL, engines.local().capacity(),
					engines.local().templates().stream().map(Template::name).toList(), here.memory(), here.disk(),
					here.ves()));
		}
		for (FleetNode node : nodes.all()) {
			if (node.joined() && node.state().equals("active") && node.health().reachable()) {
				Sold there = sold.getOrDefault(node.id(), new Sold(0, 0, 0));
				FleetNode.Health health = node.health();
				candidates.add(new Candidate(node.id(), node.name(), new NodeCapacity(health.memoryBytes(), health.cpus(),
						health.diskBytes(), health.diskFreeBytes()), health.templates(), there.memory(), there.disk(),
						there.ves()));
			}
		}
		return candidates;
	}
}
