// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cairn.engine.NodeCapacity;
import org.cairn.engine.VeEngine;
import org.cairn.panel.fleet.FleetVeEngine;
import org.cairn.panel.usage.UsageSample;
import org.cairn.panel.usage.UsageSampler;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The admin's view of the node: what it has, what is sold of it, and every VE with its owner and state. */
@Service
public class NodeOverview {

	/** One VE as the admin sees it; memory in use is the last sample's (0 when it did not run then). */
	public record AdminVe(long id, String hostname, String owner, String plan, String state, List<String> addresses,
			long memoryBytes, String node, String name) {
	}

	/**
	 * The node and what is sold of it: the plans' sums over all VEs, and their ratio to what the node has
	 * (above 1: overcommitted).
	 */
	public record Node(NodeCapacity capacity, int ves, long soldMemoryBytes, long soldDiskBytes, BigDecimal soldCpus,
			double memoryRatio, double diskRatio, double cpuRatio) {
	}

	private record Row(long id, String hostname, String owner, String plan, String engineName, String status, long memory,
			long disk, BigDecimal cpus, String node) {
	}

	private final JdbcClient jdbc;

	private final VeEngine engine;

	private final UsageSampler usage;

	private final FleetVeEngine fleet;

	NodeOverview(JdbcClient jdbc, @Lazy VeEngine engine, UsageSampler usage, FleetVeEngine fleet) {
		this.fleet = fleet;
		this.usage = usage;
		this.jdbc = jdbc;
		this.engine = engine;
	}

	private List<Row> rows() {
		return rows("true", List.of());
	}

	private List<Row> rows(String condition, List<Object> params) {
		return jdbc.sql("""
				select v.id, v.hostname, u.username, p.name, v.engine_name, v.status, p.memory_bytes, p.disk_bytes, p.cpus,
				       coalesce(n.name, 'local')
				from ve v join user_account u on u.id = v.owner_id join plan p on p.id = v.plan_id
				left join fleet_node n on n.id = v.node_id""" + " where "
				+ condition + " order by v.id")
			.params(params)
			.query((rs, row) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
					rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getBigDecimal(9), rs.getString(10)))
			.list();
	}

	/** VEs for the support desk: by host name, by its owner's name or e-mail, or by one of its addresses. */
	public List<AdminVe> find(String query) {
		String text = query == null ? "" : query.strip();
		if (text.isEmpty()) {
			return List.of();
		}
		String like = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
			.replace("_", "\\_") + "%";
		return adminVes(rows("""
				lower(v.hostname) like ? or lower(u.username) like ? or lower(u.email) like ?
				or exists (select 1 from ip_address a where a.ve_id = v.id and host(a.address) = ?)""",
				List.of(like, like, like, text)));
	}

	/** The panel's own node: what it has and what is sold on it. */
	public Node node() {
		List<Row> rows = rows("v.node_id is null", List.of());
		NodeCapacity capacity = engine.capacity();
		long memory = rows.stream().mapToLong(Row::memory).sum();
		long disk = rows.stream().mapToLong(Row::disk).sum();
		BigDecimal cpus = rows.stream().map(Row::cpus).reduce(BigDecimal.ZERO, BigDecimal::add);
		return new Node(capacity, rows.size(), memory, disk, cpus, ratio(memory, capacity.memoryBytes()),
				ratio(disk, capacity.diskBytes()), ratio(cpus.doubleValue(), capacity.cpus()));
	}

	/** A busy VE on the admin's node page: who, and what it used at the last sampling. */
	public record BusyVe(long id, String hostname, String owner, double cpuPercent, long memoryBytes, double rxBps,
			double txBps) {
	}

	/** The VEs using the most CPU at the last sampling. */
	public List<BusyVe> busiest(int count) {
		Map<String, Row> byName = rows().stream().collect(Collectors.toMap(Row::engineName, row -> row));
		return usage.busiest(count).stream().filter(s -> byName.containsKey(s.ve())).map(s -> {
			Row row = byName.get(s.ve());
			return new BusyVe(row.id(), row.hostname(), row.owner(), s.cpuPercent(), s.memoryBytes(), s.rxBps(),
					s.txBps());
		}).toList();
	}

	public List<AdminVe> ves() {
		return adminVes(rows());
	}

	/** The VEs on one node, by its name ("local": the panel's own machine). */
	public List<AdminVe> ves(String node) {
		return adminVes(rows("coalesce(n.name, 'local') = ?", List.of(node)));
	}

	private List<AdminVe> adminVes(List<Row> rows) {
		Map<Long, List<String>> addresses = jdbc.sql("select ve_id, host(address) from ip_address where ve_id is not null")
			.query((rs, row) -> Map.entry(rs.getLong(1), rs.getString(2)))
			.list()
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		// one list per node, not one call per VE: 1,000 VEs over four nodes are four calls
		Map<String, String> live = fleet.states();
		return rows.stream().map(row -> {
			String state = row.status().equals("READY") ? "gone" : row.status().toLowerCase(java.util.Locale.ROOT);
			long used = 0;
			if (row.status().equals("READY")) {
				// a VE no node has was destroyed behind the panel's back: shown as gone
				state = live.getOrDefault(row.engineName(), "gone");
				used = usage.latest(row.engineName()).map(UsageSample::memoryBytes).orElse(0L);
			}
			return new AdminVe(row.id(), row.hostname(), row.owner(), row.plan(), state,
					addresses.getOrDefault(row.id(), List.of()), used, row.node(), row.engineName());
		}).toList();
	}

	private static double ratio(double sold, double has) {
		return has <= 0 ? 0 : Math.round(sold / has * 100) / 100.0;
	}
}
