// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.cairn.engine.VeSnapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn ve snapshot ...}: a VE's snapshots on this node. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Take, list, roll back to and delete a VE's snapshots.",
		subcommands = { SnapshotCommand.Create.class, SnapshotCommand.ListSnapshots.class, SnapshotCommand.Rollback.class,
				SnapshotCommand.Delete.class })
class SnapshotCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	/** A verb on one snapshot of one VE. */
	abstract static class OnOneSnapshot implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(index = "0", paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Parameters(index = "1", paramLabel = "SNAPSHOT")
		String snapshot;
	}

	static String line(VeSnapshots.Snapshot s) {
		return String.format("%s  %s  %.1f MB  frozen %d ms", s.name(), s.created(), s.bytes() / 1048576.0,
				s.frozen().toMillis());
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Take a snapshot of the VE's files (running: frozen only while the last changes are copied).")
	static class Create extends OnOneSnapshot {

		@Override
		public Integer call() {
			System.out.println("took " + line(engine.open().snapshots().create(name, snapshot)));
			return 0;
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the VE's snapshots, oldest first.")
	static class ListSnapshots implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Mixin
		ListingOutput output;

		@Option(names = { "-o", "--output" }, split = ",", paramLabel = "COLUMN", completionCandidates = ColumnNames.class,
				description = "Print these columns, tab-separated: ${COMPLETION-CANDIDATES}.")
		List<String> columns;

		static final Columns<VeSnapshots.Snapshot> COLUMNS = new Columns<VeSnapshots.Snapshot>()
			.with("name", VeSnapshots.Snapshot::name)
			.with("created", s -> s.created().toString())
			.with("bytes", s -> Long.toString(s.bytes()))
			.with("frozen-ms", s -> Long.toString(s.frozen().toMillis()));

		static final class ColumnNames extends ListingOutput.Names {

			ColumnNames() {
				super(COLUMNS);
			}
		}

		@Override
		public Integer call() {
			output.print(engine.openToLook().snapshots().list(name), columns, COLUMNS,
					all -> all.stream()
						.map(s -> "{\"name\":" + Json.string(s.name()) + ",\"created\":"
								+ Json.string(s.created().toString()) + ",\"bytes\":" + s.bytes() + ",\"frozenMillis\":"
								+ s.frozen().toMillis() + "}")
						.collect(java.util.stream.Collectors.joining(",", "[", "]")),
					s -> System.out.println(line(s)));
			return 0;
		}
	}

	@Command(name = "rollback", mixinStandardHelpOptions = true,
			description = "Put the snapshot's files back: a running VE is killed (what changed since the snapshot is "
					+ "lost anyway), rolled back and started again.")
	static class Rollback extends OnOneSnapshot {

		@Override
		public Integer call() {
			engine.open().snapshots().rollback(name, snapshot);
			System.out.println(name + " rolled back to " + snapshot);
			return 0;
		}
	}

	@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a snapshot.")
	static class Delete extends OnOneSnapshot {

		@Override
		public Integer call() {
			engine.open().snapshots().delete(name, snapshot);
			System.out.println("deleted " + snapshot + " of " + name);
			return 0;
		}
	}
}
