// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeBackups;
import org.cairn.engine.backup.BackupSchedule;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn backup ...}: backups of VEs into the node's restic repository, and restores. */
@Command(name = "backup", mixinStandardHelpOptions = true,
		description = "Back up VEs (incremental, deduplicated across the node) and restore their files.",
		subcommands = { BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Ls.class,
				BackupCommand.Restore.class, BackupCommand.Forget.class, BackupCommand.Check.class,
				BackupCommand.Schedule.class, BackupCommand.RunScheduled.class })
class BackupCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	static String describe(Snapshot s) {
		return s.shortId() + "  " + s.time() + (s.tags().isEmpty() ? "" : "  " + String.join(",", s.tags()));
	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Back up a VE now; a running VE keeps running.")
	static class Create implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--tag", paramLabel = "T", description = "A tag for this backup.")
		String tag;

		@Option(names = "--consistent",
				description = "Point in time: a second pass with the VE frozen for what changed during the first.")
		boolean consistent;

		@Override
		public Integer call() {
			if (consistent) {
				var backup = engine.open().backups().createConsistent(name, tag);
				System.out.println(describe(backup.snapshot()) + "  (frozen " + backup.frozenFor().toMillis() + " ms)");
			}
			else {
				System.out.println(describe(engine.open().backups().create(name, tag)));
			}
			return 0;
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List a VE's backups, oldest first.")
	static class ListBackups implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Mixin
		ListingOutput output;

		@Option(names = { "-o", "--output" }, split = ",", paramLabel = "COLUMN", completionCandidates = ColumnNames.class,
				description = "Print these columns, tab-separated: ${COMPLETION-CANDIDATES}.")
		List<String> columns;

		static final Columns<Snapshot> COLUMNS = new Columns<Snapshot>().with("id", Snapshot::id)
			.with("short-id", Snapshot::shortId)
			.with("ve", Snapshot::ve)
			.with("time", s -> s.time().toString())
			.with("tags", s -> String.join(",", s.tags()));

		static final class ColumnNames extends ListingOutput.Names {

			ColumnNames() {
				super(COLUMNS);
			}
		}

		@Override
		public Integer call() {
			output.print(engine.openToLook().backups().list(name), columns, COLUMNS,
					all -> all.stream().map(s -> "{\"id\":" + Json.string(s.id()) + ",\"ve\":" + Json.string(s.ve())
							+ ",\"time\":" + Json.string(s.time().toString()) + ",\"tags\":"
							+ s.tags().stream().map(Json::string).collect(Collectors.joining(",", "[", "]")) + "}")
						.collect(Collectors.joining(",", "[", "]")),
					s -> System.out.println(describe(s)));
			return 0;
		}
	}

	@Command(name = "ls", mixinStandardHelpOptions = true, description = "Show a folder of a backup, as the VE saw it.")
	static class Ls implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(index = "0", paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Parameters(index = "1", paramLabel = "SNAPSHOT")
		String snapshot;

		@Parameters(index = "2", paramLabel = "PATH", defaultValue = "/")
		String path;

		@Option(names = "--json", description = "Print JSON.")
		boolean json;

		@Override
		public Integer call() {
			List<SnapshotEntry> entries = engine.openToLook().backups().files(name, snapshot, path);
			if (json) {
				System.out.println(entries.stream().map(e -> "{\"path\":" + Json.string(e.path()) + ",\"name\":"
						+ Json.string(e.name()) + ",\"type\":" + Json.string(e.type()) + ",\"size\":" + e.size()
						+ ",\"permissions\":" + Json.string(e.permissions()) + ",\"uid\":" + e.uid() + ",\"gid\":" + e.gid()
						+ ",\"modified\":" + Json.string(e.modified().toString()) + "}")
					.collect(Collectors.joining(",", "[", "]")));
			}
			else {
				for (SnapshotEntry e : entries) {
					char type = switch (e.type()) {
						case "dir" -> 'd';
						case "symlink" -> 'l';
						case "file" -> '-';
						default -> '?';
					};
					System.out.printf("%c%s %6d %6d %12d %s %s%n", type, e.permissions(), e.uid(), e.gid(), e.size(),
							e.modified(), e.name());
				}
			}
			return 0;
		}
	}

	@Command(name = "restore", mixinStandardHelpOptions = true,
			description = "Put a file or folder back (in place or under --to), or the whole VE with --whole.")
	static class Restore implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(index = "0", paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Parameters(index = "1", paramLabel = "SNAPSHOT")
		String snapshot;

		@ArgGroup(exclusive = true, multiplicity = "1")
		What what;

		static class What {

			@ArgGroup(exclusive = false)
			Part part;

			@Option(names = "--whole", required = true,
					description = "The whole VE: stopped meanwhile, started again if it ran; its files since are lost.")
			boolean whole;
		}

		static class Part {

			@Option(names = "--path", required = true, paramLabel = "PATH", description = "The file or folder, e.g. /etc/nginx.")
			String path;

			@Option(names = "--to", paramLabel = "DIR", description = "Put it under this folder instead of in place.")
			String to;
		}

		@Override
		public Integer call() {
			VeBackups backups = engine.open().backups();
			if (what.whole) {
				backups.restoreWhole(name, snapshot);
				System.out.println(name + ": restored as of " + snapshot);
			}
			else {
				System.out.println(backups.restore(name, snapshot, what.part.path, what.part.to));
			}
			return 0;
		}
	}

	@Command(name = "forget", mixinStandardHelpOptions = true,
			description = "Forget the VE's backups the policy does not keep, and free their space.")
	static class Forget implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--keep-last", paramLabel = "N", defaultValue = "0", description = "The last N backups.")
		int last;

		@Option(names = "--keep-daily", paramLabel = "D", defaultValue = "0", description = "The last backup of each of D days.")
		int daily;

		@Option(names = "--keep-weekly", paramLabel = "W", defaultValue = "0", description = "The last backup of each of W weeks.")
		int weekly;

		@Override
		public Integer call() {
			List<Snapshot> forgotten = engine.open().backups().forget(name, new RetentionPolicy(last, daily, weekly));
			forgotten.forEach(s -> System.out.println("forgotten: " + describe(s)));
			return 0;
		}
	}

	@Command(name = "check", mixinStandardHelpOptions = true, description = "Verify the node's backup repository.")
	static class Check implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Option(names = "--read-data", description = "Read every byte back (slow).")
		boolean readData;

		@Override
		public Integer call() {
			System.out.println(engine.open().backups().check(readData).strip());
			return 0;
		}
	}

	@Command(name = "schedule", mixinStandardHelpOptions = true,
			description = "Back a VE up every day at a time (node time), or stop; without options, list the schedule.")
	static class Schedule implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", arity = "0..1", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--at", paramLabel = "HH:MM", description = "The daily time, e.g. 03:30.")
		String at;

		@Option(names = "--off", description = "No more scheduled backups of the VE.")
		boolean off;

		@Override
		public Integer call() {
			VeBackups backups = engine.open().backups();
			if (name != null) {
				if (at == null && !off) {
					throw new EngineException("at: give --at HH:MM or --off");
				}
				LocalTime time = off ? null : BackupSchedule.parseTime(at);
				backups.schedule(name, time);
			}
			backups.schedules().forEach((ve, time) -> System.out.println(ve + "  " + time));
			return 0;
		}
	}

	@Command(name = "run-scheduled", mixinStandardHelpOptions = true,
			description = "Take the scheduled backups that are due (the panel does this every minute).")
	static class RunScheduled implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Override
		public Integer call() {
			int failed = 0;
			for (VeBackups.ScheduledBackup done : engine.open().backups().runScheduled(ZonedDateTime.now())) {
				if (done.snapshot() != null) {
					System.out.println(done.ve() + ": " + describe(done.snapshot()));
				}
				else {
					System.out.println(done.ve() + ": failed: " + done.error());
					failed++;
				}
			}
			return failed == 0 ? 0 : 1;
		}
	}
}
