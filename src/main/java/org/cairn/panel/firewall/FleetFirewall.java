// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cairn.engine.EngineException;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.node.RemoteVeEngine;
import org.cairn.panel.fleet.FleetEngines;
import org.cairn.panel.fleet.FleetNode;
import org.cairn.panel.fleet.FleetNodes;
import org.cairn.panel.fleet.NodeAnswered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The node-wide rules of the whole fleet: one list, kept in PostgreSQL ({@code fleet_firewall}, so that every panel
 * instance has the same) and put on every node, the panel's machine and each joined node. A node that does not
 * answer when they change, or joins later, gets them once it answers the panel's health check. Before their first
 * change the panel's machine's rules are the fleet's.
 */
@Component
class FleetFirewall {

	private static final Logger log = LoggerFactory.getLogger(FleetFirewall.class);

	private final FleetEngines engines;

	private final FleetNodes nodes;

	private final JdbcClient jdbc;

	FleetFirewall(FleetEngines engines, FleetNodes nodes, JdbcClient jdbc) {
		this.engines = engines;
		this.nodes = nodes;
		this.jdbc = jdbc;
	}

	List<NodeRule> rules() {
		return stored().orElseGet(() -> engines.local().nodeFirewall());
	}

	private Optional<List<NodeRule>> stored() {
		return jdbc.sql("select rules from fleet_firewall where id = 1").query(String.class).optional()
			.map(text -> text.lines().filter(line -> !line.isBlank()).map(NodeRule::parse).toList());
	}

	/**
	 * Puts the rules on the panel's machine (which checks them: refused there, nowhere), keeps them, then on every
	 * joined node. Returns the nodes that did not take them now; they get them when they answer.
	 */
	List<String> replace(List<NodeRule> rules) {
		engines.local().setNodeFirewall(rules);
		jdbc.sql("""
				insert into fleet_firewall (id, rules, changed_at) values (1, ?, ?)
				on conflict (id) do update set rules = excluded.rules, changed_at = excluded.changed_at""")
			.params(String.join("\n", rules.stream().map(NodeRule::toString).toList()), Timestamp.from(Instant.now()))
			.update();
		List<String> later = new ArrayList<>();
		for (FleetNode node : nodes.all()) {
			if (!node.joined()) {
				continue;
			}
			try {
				engines.remote(node.id()).setNodeFirewall(rules);
			}
			catch (EngineException ex) {
				log.warn("Node {} takes the node-wide rules when it answers: {}", node.name(), ex.getMessage());
				later.add(node.name());
			}
		}
		return later;
	}

	/** A node that answers again gets the fleet's rules if it has others (it was away, or it is new). */
	@EventListener
	void answered(NodeAnswered answered) {
		Optional<List<NodeRule>> rules = stored();
		if (rules.isEmpty()) {
			return;
		}
		try {
			RemoteVeEngine node = engines.remote(answered.nodeId());
			if (!node.nodeFirewall().equals(rules.get())) {
				node.setNodeFirewall(rules.get());
				log.info("Node {} has the fleet's node-wide rules again", answered.name());
			}
		}
		catch (EngineException ex) {
			log.warn("Node {}: the node-wide rules: {}", answered.name(), ex.getMessage());
		}
	}
}
