// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.cairn.engine.backup.BackedUpVe;
import org.cairn.engine.backup.BackupRepository;
import org.cairn.engine.backup.BackupRepository.ProcessResult;
import org.cairn.engine.backup.BackupSchedule;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.engine.backup.VePaths;
import org.cairn.engine.launcher.Launcher;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Backups through restic run in a view of the VE's files (the launcher's {@code files}: the VE's user
 * namespace, its root file system alone at /ve, the host's libraries, nothing else). A restore lands in a
 * staging folder inside the VE first and is moved into place only once complete, by the host's static
 * busybox in the same view.
 */
final class LinuxVeBackups implements VeBackups {

	private static final String VIEW_ROOT = BackupRepository.VIEW_ROOT;

	private static final String BUSYBOX = "/bin/busybox";

	private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * Run with the VE's root as root (busybox's own applets, nothing of the VE): $1 the restored item in the
	 * staging folder, $2 where it goes, $3 the staging folder.
	 */
	private static final String MOVE_INTO_PLACE = """
			set -e
			[ -e "$1" ] || [ -L "$1" ] || { echo "the backup holds nothing at that path" >&2; exit 3; }
			mkdir -p "$(dirname "$2")"
			if [ -e "$2" ] || [ -L "$2" ]; then mv "$2" "$3/.previous"; fi
			mv "$1" "$2"
			""";

	/** As above: $1 the restored root in the staging folder, $2 the staging folder; /proc, /sys, /dev are mount points. */
	private static final String REPLACE_ROOT = """
			set -e
			cd /
			for e in * .[!.]* ..?*; do
				[ -e "$e" ] || [ -L "$e" ] || continue
				case "/$e" in "$2"|/proc|/sys|/dev) continue;; esac
				rm -rf "/$e"
			done
			cd "$1"
			for e in * .[!.]* ..?*; do
				[ -e "$e" ] || [ -L "$e" ] || continue
				case "$e" in proc|sys|dev) continue;; esac
				mv "$1/$e" "/$e"
			done
			""";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final LinuxVeEngine engine;

	private final Launcher launcher;

	private final BackupRepository repository;

	private final BackupSchedule schedule;

	private final VeLocks locks;

	LinuxVeBackups(LinuxVeEngine engine, Launcher launcher, Path root, VeLocks locks) {
		this.engine = engine;
		this.launcher = launcher;
		this.repository = new BackupRepository(root);
		this.schedule = new BackupSchedule(root);
		this.locks = locks;
	}

	private BackedUpVe owner(String ve) {
		VeDirectory.Record record = engine.record(ve);
		return new BackedUpVe(record.name(), record.id());
	}

	@Override
	public Snapshot create(String ve, @Nullable String tag) {
		checkTag(tag);
		BackedUpVe who = owner(ve);
		repository.ensureReady();
		String id = engine.withFiles(ve, pid -> backup(pid, who, tag));
		return repository.snapshot(who, id);
	}

	@Override
	public ConsistentBackup createConsistent(String ve, @Nullable String tag) {
		checkTag(tag);
		BackedUpVe who = owner(ve);
		repository.ensureReady();
		String[] ids = new String[2];
		Duration frozen = engine.withFiles(ve, pid -> {
			ids[0] = backup(pid, who, null, true);
			return engine.whileFrozen(ve, () -> ids[1] = backup(pid, who, tag, false));
		});
		// the first pass carries no ve-id tag: it never counts as one of the VE's backups, and retention removes it
		// (forgetting it now would take restic's exclusive lock and wait for every other VE's backup)
		return new ConsistentBackup(repository.snapshot(who, ids[1]), frozen);
	}

	private static void checkTag(@Nullable String tag) {
		if (tag != null && !TAG.matcher(tag).matches()) {
			throw new EngineException("tag: '" + tag + "' is not a tag (up to 40 letters, digits, '.', '_', '-')");
		}
	}

	/** One restic backup of the VE's view; the new snapshot's id. */
	private String backup(long pid, BackedUpVe who, @Nullable String tag) {
		return backup(pid, who, tag, false);
	}

	private String backup(long pid, BackedUpVe who, @Nullable String tag, boolean firstPass) {
		List<String> args = new ArrayList<>(List.of("backup", VIEW_ROOT, "--host", who.host(), "--tag", who.nameTag(),
				"--tag", firstPass ? who.firstPassTag() : who.idTag(), "--ignore-inode", "--no-cache", "--json"));
		if (tag != null) {
			args.addAll(List.of("--tag", tag));
		}
		ProcessResult result = restic(who.name(), pid, args);
		// 3: a file could not be read (the VE changed it meanwhile); the snapshot holds the rest
		if (result.exitCode() != 0 && result.exitCode() != 3) {
			BackupRepository.check(result, "back up " + who.name());
		}
		String id = summary(result.out()).path("snapshot_id").asString();
		if (id.isEmpty()) {
			throw new EngineException("backup: restic made no snapshot of " + who.name());
		}
		return id;
	}

	private static JsonNode summary(String out) {
		String[] lines = out.strip().split("\n");
		for (int i = lines.length - 1; i >= 0; i--) {
			if (lines[i].contains("\"summary\"")) {
				return JSON.readTree(lines[i]);
			}
		}
		return JSON.createObjectNode();
	}

	@Override
	public List<Snapshot> list(String ve) {
		return repository.snapshots(owner(ve));
	}

	@Override
	public List<SnapshotEntry> files(String ve, String snapshot, String path) {
		return repository.list(owner(ve), snapshot, path);
	}

	@Override
	public String restore(String ve, String snapshotId, String path, @Nullable String to) {
		BackedUpVe who = owner(ve);
		Snapshot snapshot = repository.snapshot(who, snapshotId);
		String source = VePaths.check("path", path);
		if (source.equals("/")) {
			throw new EngineException("path: / is the whole VE; restore it as a whole");
		}
		String folder = to == null ? null : VePaths.check("to", to);
		String destination = folder == null ? source : (folder.equals("/") ? "" : folder) + "/" + name(source);
		// a clear error for a path the backup does not hold, before anything runs in the VE
		if (repository.list(who, snapshot.id(), parent(source)).stream().noneMatch(e -> e.path().equals(source))) {
			throw new EngineException("path: " + source + " is not in the backup " + snapshot.shortId());
		}
		engine.withFiles(ve, pid -> {
			String staging = staging();
			try {
				ProcessResult result = restic(ve, pid, List.of("restore",
						snapshot.id(), "--target", VIEW_ROOT + staging, "--include", VIEW_ROOT + source, "--no-cache"));
				BackupRepository.check(result, "restore " + source);
				busybox(pid, MOVE_INTO_PLACE, staging + VIEW_ROOT + source, destination, staging);
			}
			finally {
				removeStaging(pid, staging);
			}
			return null;
		});
		return destination;
	}

	@Override
	public void restoreWhole(String ve, String snapshotId) {
		Snapshot snapshot = repository.snapshot(owner(ve), snapshotId);
		engine.withFilesStopped(ve, STOP_TIMEOUT, pid -> {
			String staging = staging();
			try {
				ProcessResult result = restic(ve, pid, List.of("restore", snapshot.id(), "--target", VIEW_ROOT + staging, "--no-cache"));
				BackupRepository.check(result, "restore " + ve);
				busybox(pid, REPLACE_ROOT, staging + VIEW_ROOT, staging);
			}
			finally {
				removeStaging(pid, staging);
			}
			return null;
		});
	}

	/**
	 * A folder (as the VE sees it) on the VE's own file system, so that moving a restored tree into place is a
	 * rename; its name cannot be guessed by the VE beforehand.
	 */
	private static String staging() {
		byte[] random = new byte[6];
		new SecureRandom().nextBytes(random);
		return "/.cairn-restore-" + HexFormat.of().formatHex(random);
	}

	/** restic over the VE's files, recorded as the VE's helper: a stop, suspend or destroy of the VE ends it. */
	private ProcessResult restic(String ve, long pid, List<String> args) {
		try (HelperCgroup cgroup = engine.helperCgroup(ve)) {
			return repository.inView(command -> launcher.files(pid, false, command, cgroup.procsFiles()), args,
					process -> VeHelpers.track(engine.directoryOf(ve), process));
		}
	}

	private void removeStaging(long pid, String staging) {
		ProcessResult.of(launcher.files(pid, true, List.of(BUSYBOX, "sh", "-c", "rm -rf \"$1\"", "sh", staging)));
	}

	private void busybox(long pid, String script, String... args) {
		List<String> command = new ArrayList<>(List.of(BUSYBOX, "sh", "-c", script, "sh"));
		command.addAll(List.of(args));
		ProcessResult result = ProcessResult.of(launcher.files(pid, true, command));
		BackupRepository.check(result, "put the restored files in place");
	}

	@Override
	public List<Snapshot> forget(String ve, RetentionPolicy policy) {
		BackedUpVe who = owner(ve);
		try (var lock = locks.acquire(ve, Duration.ofMinutes(2))) {
			return repository.forget(who, policy);
		}
	}

	@Override
	public String check(boolean readData) {
		return repository.check(readData);
	}

	@Override
	public void schedule(String ve, @Nullable LocalTime time) {
		owner(ve);
		schedule.set(ve, time);
	}

	@Override
	public Map<String, LocalTime> schedules() {
		return schedule.all();
	}

	@Override
	public List<ScheduledBackup> runScheduled(ZonedDateTime now) {
		List<ScheduledBackup> done = new ArrayList<>();
		for (String ve : takeDue(now)) {
			done.add(runScheduled(ve));
		}
		return done;
	}

	@Override
	public List<String> takeDue(ZonedDateTime now) {
		// one process takes the due ones at a time; another one finds nothing left to take
		VeLocks.Held lock = locks.tryAcquire(".schedule", Duration.ZERO);
		if (lock == null) {
			return List.of();
		}
		try (lock) {
			List<String> due = schedule.due(now);
			// marked before they run: also after a failure, tomorrow's time is the next try, not every minute
			due.forEach(ve -> schedule.ran(ve, now.toInstant()));
			return due;
		}
	}

	@Override
	public ScheduledBackup runScheduled(String ve) {
		try {
			return new ScheduledBackup(ve, create(ve, "scheduled"), null);
		}
		catch (EngineException ex) {
			return new ScheduledBackup(ve, null, ex.getMessage());
		}
	}

	@Override
	public String repository() {
		return repository.location();
	}

	@Override
	public long storedBytes() {
		return repository.storedBytes();
	}

	private static String parent(String path) {
		int slash = path.lastIndexOf('/');
		return slash <= 0 ? "/" : path.substring(0, slash);
	}

	private static String name(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}
}
