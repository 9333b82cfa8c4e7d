// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A VE saved to disk and back on its node (OpenVZ's {@code vzctl suspend} and {@code resume}): CRIU writes its
 * processes, memory, open files, terminals and TCP connections into the VE's folder and ends them; its next start
 * (or {@link #restore}) brings them back as they were. Its files stay where they are: a checkpoint holds what only
 * the kernel had.
 */
public interface VeCheckpoints {

	/**
	 * Saves the running VE and stops it. A VE CRIU cannot save (a resource inside it that CRIU does not support)
	 * runs on unchanged, and the exception says what CRIU found; a cold move or a stop still works for it.
	 */
	VeStatus checkpoint(String name);

	/** Starts the VE from its checkpoint; refused when it has none. */
	VeStatus restore(String name);

	/** The VE's checkpoint, if it has one. */
	Optional<VeCheckpoint> saved(String name);

	/** Drops the VE's checkpoint: its next start boots it afresh. */
	void discard(String name);

	/** Why this node cannot checkpoint VEs (CRIU missing), or empty when it can. */
	Optional<String> unavailable();

	/** What a checkpoint or restore of a node's VEs did: the VEs done, and those not done with why (by name). */
	record Outcome(List<String> done, Map<String, String> failed) {
	}

	/**
	 * Before the node's reboot: every running VE of {@code node} saved and stopped, one after the other; one that
	 * cannot be saved runs on (and stops with the node).
	 */
	static Outcome checkpointAll(VeEngine node) {
		return forEach(node, (engine, ve) -> ve.state() == VeState.RUNNING,
				(engine, ve) -> engine.checkpoints().checkpoint(ve.name()));
	}

	/** After the node's reboot: every VE of {@code node} that has a checkpoint restored. */
	static Outcome restoreAll(VeEngine node) {
		return forEach(node,
				(engine, ve) -> ve.state() == VeState.STOPPED && engine.checkpoints().saved(ve.name()).isPresent(),
				(engine, ve) -> engine.checkpoints().restore(ve.name()));
	}

	private static Outcome forEach(VeEngine node, BiPredicate<VeEngine, VeStatus> wanted,
			java.util.function.BiConsumer<VeEngine, VeStatus> step) {
		List<String> done = new ArrayList<>();
		Map<String, String> failed = new LinkedHashMap<>();
		for (VeStatus ve : node.list()) {
			try {
				if (wanted.test(node, ve)) {
					step.accept(node, ve);
					done.add(ve.name());
				}
			}
			catch (EngineException ex) {
				failed.put(ve.name(), ex.getMessage());
			}
		}
		return new Outcome(List.copyOf(done), java.util.Collections.unmodifiableMap(failed));
	}
}
