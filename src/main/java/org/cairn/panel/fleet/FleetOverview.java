// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cairn.engine.NodeCapacity;
import org.cairn.engine.template.Template;
import org.cairn.node.NodeFacts;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The nodes page's rows: each node with what it has, what is sold on it, its VEs and its health. */
@Service
public class FleetOverview {

	/**
	 * One node as the page shows it.
	 * @param id null for the panel's own node
	 * @param condition what an admin reads first: waiting, active, draining, maintenance, unreachable
	 */
	public record NodeRow(@Nullable Long id, String name, String address, String state, String condition,
			@Nullable Instant lastContact, @Nullable String error, @Nullable String version, @Nullable String kernel,
			@Nullable String cgroupVersion, NodeCapacity capacity, List<String> templates, int ves, long soldMemoryBytes,
			long soldDiskBytes, @Nullable String certificateSha256, @Nullable Instant certificateExpiresAt,
			@Nullable String group) {

		public boolean local() {
			return id == null;
		}
	}

	private final FleetNodes nodes;

	private final FleetEngines engines;

	private final JdbcClient jdbc;

	FleetOverview(FleetNodes nodes, FleetEngines engines, JdbcClient jdbc) {
		this.nodes = nodes;
		this.engines = engines;
		this.jdbc = jdbc;
	}

	public List<NodeRow> rows() {
		record Sold(int ves, long memory, long disk) {
		}
		Map<Long, Sold> sold = jdbc.sql("""
				select coalesce(v.node_id, 0), count(*), sum(p.memory_bytes), sum(p.disk_bytes)
				from ve v join plan p on p.id = v.plan_id group by coalesce(v.node_id, 0)""")
			.query((rs, row) -> Map.entry(rs.getLong(1), new Sold(rs.getInt(2), rs.getLong(3), rs.getLong(4))))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		List<NodeRow> rows = new ArrayList<>();
		Sold here = sold.getOrDefault(0L, new Sold(0, 0, 0));
		if (engines.hasLocalNode() || here.ves() > 0) {
			rows.add(new NodeRow(null, Placement.LOCAL, "this panel's machine",
					engines.hasLocalNode() ? "active" : "draining", engines.hasLocalNode() ? "active" : "draining",
					Instant.now(), null, NodeFacts.cairnVersion(), NodeFacts.kernelRelease(), engines.local().cgroupVersion(),
					engines.local().capacity(), engines.local().templates().stream().map(Template::name).toList(),
					here.ves(), here.memory(), here.disk(), null, null, null));
		}
		for (FleetNode node : nodes.all()) {
			Sold there = sold.getOrDefault(node.id(), new Sold(0, 0, 0));
			FleetNode.Health health = node.health();
			String condition = !node.joined() ? "waiting for its join"
					: node.state().equals("maintenance") ? "maintenance"
							: health.error() != null || health.lastContact() == null ? "unreachable" : node.state();
			rows.add(new NodeRow(node.id(), node.name(), node.address(), node.state(), condition, health.lastContact(),
					health.error(), health.version(), health.kernel(), health.cgroupVersion(),
					new NodeCapacity(health.memoryBytes(), health.cpus(), health.diskBytes(), health.diskFreeBytes()),
					health.templates(), there.ves(), there.memory(), there.disk(), node.certificateSha256(),
					node.certificateExpiresAt(), node.group()));
		}
		return rows;
	}
}
