// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.util.function.Function;

import org.cairn.engine.VeCheckpoints;
import org.cairn.engine.VeEngine;
import org.cairn.panel.audit.AuditedAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * A node's VEs kept across its reboot, when the admin asks: before it, every running VE is saved by a checkpoint
 * (and stops); after it, every saved one is restored, as it was ({@link VeCheckpoints}). A VE that cannot be saved
 * runs on (and stops with the node); each outcome is listed and audited.
 */
@Service
public class NodeCheckpoints {

	private final FleetNodes nodes;

	private final FleetEngines engines;

	private final ApplicationEventPublisher events;

	NodeCheckpoints(FleetNodes nodes, FleetEngines engines, ApplicationEventPublisher events) {
		this.nodes = nodes;
		this.engines = engines;
		this.events = events;
	}

	/** Saves every running VE of the node and stops it. */
	public VeCheckpoints.Outcome checkpointAll(long nodeId, String actor) {
		return audited(nodeId, "NODE_CHECKPOINT_ALL", actor, VeCheckpoints::checkpointAll);
	}

	/** Restores every VE of the node that has a checkpoint. */
	public VeCheckpoints.Outcome restoreAll(long nodeId, String actor) {
		return audited(nodeId, "NODE_RESTORE_ALL", actor, VeCheckpoints::restoreAll);
	}

	private VeCheckpoints.Outcome audited(long nodeId, String action, String actor,
			Function<VeEngine, VeCheckpoints.Outcome> all) {
		FleetNode node = nodes.get(nodeId).orElseThrow(() -> new NodeNotFoundException(nodeId));
		VeEngine engine = engines.of(nodeId);
		engine.checkpoints().unavailable().ifPresent(why -> {
			throw new FleetException("node", "on " + node.name() + " " + why);
		});
		VeCheckpoints.Outcome outcome = all.apply(engine);
		String detail = outcome.done().size() + " done"
				+ (outcome.failed().isEmpty() ? "" : ", not " + String.join(", ", outcome.failed().keySet()));
		events.publishEvent((outcome.failed().isEmpty() ? AuditedAction.success(action, "node:" + node.name())
				: AuditedAction.failure(action, "node:" + node.name(), detail)).withActor(actor));
		return outcome;
	}
}
