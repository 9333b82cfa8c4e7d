// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn ve checkpoint NAME} and {@code cairn ve restore NAME}: a running VE saved to disk with CRIU and
 * stopped, and brought back as it was (OpenVZ's {@code vzctl suspend} and {@code resume}).
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
		description = { "Save a running VE to disk (its processes, memory, terminals and TCP connections, with CRIU) and"
				+ " stop it: its next start, or 'cairn ve restore', brings it back as it was.",
				"A VE CRIU cannot save runs on, unchanged, and the error says what CRIU found.",
				"With --discard, the VE's checkpoint is dropped instead: its next start boots it afresh." })
class CheckpointCommand extends VeCommand.OnOneVe {

	@Option(names = "--discard", description = "Drop the VE's checkpoint instead of making one.")
	boolean discard;

	@Override
	VeStatus act(VeEngine engine, String name) {
		if (discard) {
			engine.checkpoints().discard(name);
			return engine.status(name);
		}
		VeStatus saved = engine.checkpoints().checkpoint(name);
		engine.checkpoints().saved(name).ifPresent(checkpoint -> System.out.printf(
				"saved %s: %.1f MB of processes, at %s%n", name, checkpoint.bytes() / 1048576.0, checkpoint.savedAt()));
		return saved;
	}

	@Command(name = "restore", mixinStandardHelpOptions = true,
			description = "Start a VE from its checkpoint ('cairn ve checkpoint'): its processes carry on as they were.")
	static class Restore extends VeCommand.OnOneVe {

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.checkpoints().restore(name);
		}
	}
}
