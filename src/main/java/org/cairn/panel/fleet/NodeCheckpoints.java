// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.engine.VeStatus;
import org.cairn.panel.audit.AuditedAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * A node's VEs kept across its reboot, when the admin asks: before it, every running VE is saved by a checkpoint
 * (and stops); after it, every saved one is restored, as it was. A VE that cannot be saved runs on (and stops with
 * the node); each outcome is listed and audited.
 */
@Service
public class NodeCheckpoints {

	/** The VEs done, and those not done with why (engine names). */
	public record Outcome(List<String> done, Map<String, String> failed) {
	}

	private final FleetNodes nodes;

	private final FleetEngines engines;

	private final ApplicationEventPublisher events;

	NodeCheckpoints(FleetNodes nodes, FleetEngines engines, ApplicationEventPublisher events) {
		this.nodes = nodes;
		this.engines = engines;
		this.events = events;
	}

	/** Saves every running VE of the node and stops it. */
	public Outcome checkpointAll(long nodeId, String actor) {
		return forEach(nodeId, "NODE_CHECKPOINT_ALL", actor, (engine, ve) -> ve.state() == VeState.RUNNING,
				(engine, ve) -> engine.checkpoints().checkpoint(ve.name()));
	}

	/** Restores every VE of the node that has a checkpoint. */
	public Outcome restoreAll(long nodeId, String actor) {
		return forEach(nodeId, "NODE_RESTORE_ALL", actor,
				(engine, ve) -> ve.state() == VeState.STOPPED && engine.checkpoints().saved(ve.name()).isPresent(),
				(engine, ve) -> engine.checkpoints().restore(ve.name()));
	}

	private interface Step<T> {
		T apply(VeEngine engine, VeStatus ve);
	}

	private Outcome forEach(long nodeId, String action, String actor, Step<Boolean> wanted, Step<VeStatus> step) {
		FleetNode node = nodes.get(nodeId).orElseThrow(() -> new NodeNotFoundException(nodeId));
		VeEngine engine = engines.of(nodeId);
		engine.checkpoints().unavailable().ifPresent(why -> {
			throw new FleetException("node", "on " + node.name() + " " + why);
		});
		List<String> done = new ArrayList<>();
		Map<String, String> failed = new LinkedHashMap<>();
		for (VeStatus ve : engine.list()) {
			try {
				if (wanted.apply(engine, ve)) {
					step.apply(engine, ve);
					done.add(ve.name());
				}
			}
			catch (EngineException ex) {
				failed.put(ve.name(), ex.getMessage());
			}
		}
		String detail = done.size() + " done" + (failed.isEmpty() ? "" : ", not " + String.join(", ", failed.keySet()));
		events.publishEvent((failed.isEmpty() ? AuditedAction.success(action, "node:" + node.name())
				: AuditedAction.failure(action, "node:" + node.name(), detail)).withActor(actor));
		return new Outcome(done, failed);
	}
}
