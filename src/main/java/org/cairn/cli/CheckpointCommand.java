// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.concurrent.Callable;

import org.cairn.engine.VeCheckpoints;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn ve checkpoint NAME} and {@code cairn ve restore NAME}: a running VE saved to disk with CRIU and
 * stopped, and brought back as it was (OpenVZ's {@code vzctl suspend} and {@code resume}); with {@code --all}, every
 * VE of the node, around its reboot.
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
		description = { "Save a running VE to disk (its processes, memory, terminals and TCP connections, with CRIU) and"
				+ " stop it: its next start, or 'cairn ve restore', brings it back as it was.",
				"A VE CRIU cannot save runs on, unchanged, and the error says what CRIU found.",
				"With --all, every running VE of the node (before its reboot); with --discard, the VE's checkpoint is"
						+ " dropped instead: its next start boots it afresh." })
class CheckpointCommand implements Callable<Integer> {

	@Mixin
	EngineOptions engine;

	@Parameters(paramLabel = "NAME", arity = "0..1", completionCandidates = ShellCompletion.VeNames.class)
	String name;

	@Option(names = "--all", description = "Every running VE of the node.")
	boolean all;

	@Option(names = "--discard", description = "Drop the VE's checkpoint instead of making one.")
	boolean discard;

	@Override
	public Integer call() {
		VeEngine ves = engine.open();
		if (all == (name != null) || (all && discard)) {
			System.err.println("cairn: name one VE, or give --all (without --discard)");
			return ExitCodes.USAGE;
		}
		if (all) {
			return report(VeCheckpoints.checkpointAll(ves), "saved");
		}
		if (discard) {
			ves.checkpoints().discard(name);
			VeCommand.print(ves.status(name));
			return 0;
		}
		VeStatus saved = ves.checkpoints().checkpoint(name);
		ves.checkpoints().saved(name).ifPresent(checkpoint -> System.out.printf(
				"saved %s: %.1f MB of processes, at %s%n", name, checkpoint.bytes() / 1048576.0, checkpoint.savedAt()));
		VeCommand.print(saved);
		return 0;
	}

	/** Says what was done to each VE, and what not and why; non-zero when one was not done. */
	static int report(VeCheckpoints.Outcome outcome, String verb) {
		outcome.done().forEach(ve -> System.out.println(verb + " " + ve));
		outcome.failed().forEach((ve, why) -> System.err.println("not " + verb + " " + ve + ": " + why));
		return outcome.failed().isEmpty() ? 0 : ExitCodes.ERROR;
	}

	@Command(name = "restore", mixinStandardHelpOptions = true,
			description = { "Start a VE from its checkpoint ('cairn ve checkpoint'): its processes carry on as they were.",
					"With --all, every VE of the node that has one (after its reboot)." })
	static class Restore implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", arity = "0..1", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--all", description = "Every VE of the node that has a checkpoint.")
		boolean all;

		@Override
		public Integer call() {
			VeEngine ves = engine.open();
			if (all == (name != null)) {
				System.err.println("cairn: name one VE, or give --all");
				return ExitCodes.USAGE;
			}
			if (all) {
				return report(VeCheckpoints.restoreAll(ves), "restored");
			}
			VeCommand.print(ves.checkpoints().restore(name));
			return 0;
		}
	}
}
