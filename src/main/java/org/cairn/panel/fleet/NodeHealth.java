// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.engine.EngineException;
import org.cairn.node.NodeFacts;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.system.ClusterScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Asks every joined node's agent what it is and has (one call, {@code GET /v1/node}) and keeps the answer in
 * {@code fleet_node}: the nodes page shows it and placement decides by it. A node that does not answer keeps its
 * last figures, with the error and the time it last answered. A node whose certificate is refused (another node at
 * its address, a certificate that has ended) is audited as {@code NODE_TRUST}, once until the error changes.
 */
@Component
public class NodeHealth {

	private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

	/** A node's certificate is rotated this long before it ends. */
	static final java.time.Duration RENEW_BEFORE = java.time.Duration.ofDays(30);

	private final FleetNodes nodes;

	private final FleetEngines engines;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	NodeHealth(FleetNodes nodes, FleetEngines engines, JdbcClient jdbc, ApplicationEventPublisher events) {
		this.nodes = nodes;
		this.engines = engines;
		this.jdbc = jdbc;
		this.events = events;
	}

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> checkAllTask(
			@Value("${cairn.fleet.check-every:PT15S}") Duration every) {
		return ClusterScheduler.every("node-health", every, this::checkAll);
	}

	public void checkAll() {
		for (FleetNode node : nodes.all()) {
			if (node.joined()) {
				check(node);
			}
		}
	}

	/** Asks one node now; true when it answered. */
	public boolean check(FleetNode node) {
		try {
			NodeFacts facts = engines.remote(node.id()).facts();
			jdbc.sql("""
					update fleet_node set last_contact_at = ?, last_error = null, version = ?, kernel = ?,
					       cgroup_version = ?, memory_bytes = ?, cpus = ?, disk_bytes = ?, disk_free_bytes = ?,
					       templates = ?
					where id = ?""")
				.params(Timestamp.from(Instant.now()), clip(facts.version(), 64), clip(facts.kernel(), 128),
						facts.cgroupVersion(), facts.capacity().memoryBytes(), facts.capacity().cpus(),
						facts.capacity().diskBytes(), facts.capacity().diskFreeBytes(), String.join(",", facts.templates()),
						node.id())
				.update();
			renewCertificate(node);
			events.publishEvent(new NodeAnswered(node.id(), node.name()));
			return true;
		}
		catch (EngineException ex) {
			boolean news = !String.valueOf(ex.getMessage()).equals(node.health().error());
			if (node.health().error() == null) {
				log.warn("Node {} does not answer: {}", node.name(), ex.getMessage());
			}
			if (news && ex instanceof EngineException.Unreachable unreachable && unreachable.trustRefused()) {
				// someone else at the node's address, or a certificate that ended: audited once, not every round
				log.warn("Node {} is not trusted: {}", node.name(), ex.getMessage());
				events.publishEvent(new AuditedAction(null, "NODE_TRUST", "node:" + node.name(), Outcome.FAILURE,
						clip(String.valueOf(ex.getMessage()), 1000)));
			}
			jdbc.sql("update fleet_node set last_error = ? where id = ?")
				.params(clip(String.valueOf(ex.getMessage()), 1000), node.id())
				.update();
			return false;
		}
	}

	/** Ends a rotation the node has since taken up; rotates a certificate that ends within {@link #RENEW_BEFORE}. */
	private void renewCertificate(FleetNode node) {
		if (!nodes.promoteIfServed(node.id())) {
			return;
		}
		if (node.certificateExpiresAt() != null && node.certificateExpiresAt().isBefore(Instant.now().plus(RENEW_BEFORE))) {
			try {
				nodes.rotate(node.id());
				log.info("Rotated the certificate of node {}, which ended on {}", node.name(), node.certificateExpiresAt());
			}
			catch (FleetException ex) {
				log.warn("Node {}: {}", node.name(), ex.getMessage());
			}
		}
	}

	private static String clip(String text, int length) {
		return text.length() > length ? text.substring(0, length) : text;
	}
}
