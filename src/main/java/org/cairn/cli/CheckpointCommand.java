// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
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
			return forAll(ves, "saved", (e, ve) -> ve.state() == VeState.RUNNING,
					(e, ve) -> e.checkpoints().checkpoint(ve.name()));
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

	/** Each VE {@code wanted} picks, one after the other; one that fails is said and the others go on. */
	static int forAll(VeEngine ves, String verb, BiPredicate<VeEngine, VeStatus> wanted,
			BiFunction<VeEngine, VeStatus, VeStatus> step) {
		int failed = 0;
		for (VeStatus ve : ves.list()) {
			try {
				if (wanted.test(ves, ve)) {
					step.apply(ves, ve);
					System.out.println(verb + " " + ve.name());
				}
			}
			catch (EngineException ex) {
				failed++;
				System.err.println("not " + verb + " " + ve.name() + ": " + ex.getMessage());
			}
		}
		return failed == 0 ? 0 : ExitCodes.ERROR;
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
				return forAll(ves, "restored",
						(e, ve) -> ve.state() == VeState.STOPPED && e.checkpoints().saved(ve.name()).isPresent(),
						(e, ve) -> e.checkpoints().restore(ve.name()));
			}
			VeCommand.print(ves.checkpoints().restore(name));
			return 0;
		}
	}
}
