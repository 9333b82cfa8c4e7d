// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The node's backup repository (restic): one for all VEs, so that what VEs share (their template, common
 * files) is stored once. By default {@code ROOT/backups/repo}; an admin may put any repository restic
 * knows (sftp:, s3:, rest:, a path on a NAS) into {@code ROOT/backups/repository}. Its password is
 * {@code ROOT/backups/password}, readable by root only, made at first use.
 * <p>
 * This class runs restic on the node for what needs no VE file (listing, browsing, retention, checks);
 * reading and writing a VE's files goes through {@link #inView}, whose restic sees nothing but the VE.
 */
public final class BackupRepository {

	/** The longest a restic run may take before it is killed: a backup of a whole VE's disk at worst. */
	static final Duration DEADLINE = Duration.ofHours(12);

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Where a VE's root is in the view its backups are taken in, and so in every snapshot. */
	public static final String VIEW_ROOT = "/ve";

	private final Path dir;

	private final RepositoryLock order;

	public BackupRepository(Path engineRoot) {
		this.dir = engineRoot.resolve("backups");
		this.order = RepositoryLock.of(dir);
	}

	/** Where the backups are: a path on this node, or a restic repository string. */
	public String location() {
		Path configured = dir.resolve("repository");
		try {
			if (Files.exists(configured)) {
				String location = Files.readString(configured).strip();
				if (!location.isEmpty()) {
					return location;
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + configured + ": " + ex.getMessage(), ex);
		}
		return dir.resolve("repo").toString();
	}

	/** A repository on this node's file system, which a VE's view reaches through a {@link RestRelay}. */
	boolean isLocal() {
		return location().startsWith("/");
	}

	/** Makes the password and the repository when they are missing. */
	public void ensureReady() {
		// one check and one init per repository, whichever engine instance of the process asks
		synchronized (order.setup) {
			makeIfMissing();
		}
	}

	private void makeIfMissing() {
		Path password = dir.resolve("password");
		try {
			if (!Files.exists(password)) {
				Files.createDirectories(dir);
				Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
				byte[] secret = new byte[32];
				new SecureRandom().nextBytes(secret);
				Path tmp = Files.createTempFile(dir, "password", ".tmp",
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				Files.writeString(tmp, Base64.getEncoder().encodeToString(secret) + "\n");
				Files.move(tmp, password, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			}
			boolean initialized = isLocal() ? Files.exists(Path.of(location(), "config"))
					: run(List.of("cat", "config"), false).exitCode() == 0;
			if (!initialized) {
				check(run(List.of("init"), false), "create the backup repository at " + location());
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot prepare the backups under " + dir + ": " + ex.getMessage(), ex);
		}
	}

	/** The VE's backups, oldest first. */
	public List<Snapshot> snapshots(BackedUpVe ve) {
		ensureReady();
		String out = check(run(List.of("snapshots", "--json", "--tag", ve.idTag()), false),
				"list the backups of " + ve.name());
		List<Snapshot> all = new ArrayList<>();
		for (JsonNode node : parse(out)) {
			List<String> tags = new ArrayList<>();
			node.path("tags").forEach(tag -> {
				if (!tag.asString().startsWith("ve:") && !tag.asString().startsWith("ve-id:")) {
					tags.add(tag.asString());
				}
			});
			all.add(new Snapshot(node.path("id").asString(), ve.name(), Instant.parse(node.path("time").asString()),
					tags));
		}
		all.sort(Comparator.comparing(Snapshot::time));
		return all;
	}

	/** A snapshot of the VE by its id or a prefix of it (8 digits or more); refused for another VE's. */
	public Snapshot snapshot(BackedUpVe ve, String id) {
		if (id == null || !id.matches("[0-9a-f]{8,64}")) {
			throw new EngineException("snapshot: '" + id + "' is not a snapshot id (8 to 64 hex digits)");
		}
		return snapshots(ve).stream().filter(s -> s.id().startsWith(id)).findFirst()
			.orElseThrow(() -> new EngineException.NotFound("snapshot: " + id + " is not a backup of " + ve.name()));
	}

	/** What a folder of a snapshot holds (one level), as the VE saw it. */
	public List<SnapshotEntry> list(BackedUpVe ve, String id, String folder) {
		Snapshot snapshot = snapshot(ve, id);
		String path = VePaths.check("path", folder);
		// snapshots hold the VE's root as /ve (see VeFileView): paths are shown as the VE sees them
		String stored = path.equals("/") ? VIEW_ROOT : VIEW_ROOT + path;
		String out = check(run(List.of("ls", "--json", snapshot.id(), stored), false), "list " + path);
		List<SnapshotEntry> entries = new ArrayList<>();
		boolean exists = path.equals("/");
		for (String line : out.split("\n")) {
			JsonNode node = parseLine(line);
			if (node == null || !"node".equals(node.path("struct_type").asString())) {
				continue;
			}
			String storedPath = node.path("path").asString();
			if (!storedPath.startsWith(VIEW_ROOT + "/")) {
				continue;
			}
			String entryPath = storedPath.substring(VIEW_ROOT.length());
			exists |= entryPath.equals(path);
			if (!VePaths.parent(entryPath).equals(path)) {
				continue;
			}
			entries.add(new SnapshotEntry(entryPath, node.path("name").asString(), node.path("type").asString(),
					node.path("size").asLong(), Permissions.of(node.path("mode").asLong()), node.path("uid").asLong(),
					node.path("gid").asLong(), Instant.parse(node.path("mtime").asString())));
		}
		if (!exists) {
			throw new EngineException("path: " + path + " is not in the backup " + snapshot.shortId());
		}
		entries.sort(Comparator.comparing(SnapshotEntry::name));
		return entries;
	}

	/** Forgets the VE's backups the policy does not keep and prunes the data no backup needs. */
	public List<Snapshot> forget(BackedUpVe ve, RetentionPolicy policy) {
		List<Snapshot> before = snapshots(ve);
		unlockStale();
		check(run(List.of("forget", "--tag", ve.idTag(), "--group-by", "host", "--keep-last",
				Integer.toString(policy.keepLast()), "--keep-daily", Integer.toString(policy.keepDaily()), "--keep-weekly",
				Integer.toString(policy.keepWeekly()), "--prune"), false), "forget old backups of " + ve.name());
		// the first passes of consistent backups: the latest stays (a parent for the next), the rest go
		check(run(List.of("forget", "--tag", ve.firstPassTag(), "--group-by", "host", "--keep-last", "1"), false),
				"forget the first passes of " + ve.name());
		List<String> kept = snapshots(ve).stream().map(Snapshot::id).toList();
		return before.stream().filter(s -> !kept.contains(s.id())).toList();
	}

	/** Forgets one snapshot (a backup that must not count, such as the first pass of a two-pass backup). */
	public void forgetOne(String id) {
		check(run(List.of("forget", id), false), "forget the snapshot " + id);
	}

	/** Verifies the repository's structure (and, with {@code readData}, every byte); the report, or an error. */
	public String check(boolean readData) {
		ensureReady();
		unlockStale();
		List<String> args = new ArrayList<>(List.of("check"));
		if (readData) {
			args.add("--read-data");
		}
		return check(run(args, false), "check the backup repository");
	}

	/** Bytes the repository holds (packed, deduplicated, compressed as stored). */
	public long storedBytes() {
		ensureReady();
		String out = check(run(List.of("stats", "--mode", "raw-data", "--json"), false), "measure the repository");
		return parse(out).path("total_size").asLong();
	}

	/** The environment restic needs in a VE's view: the repository (through a relay for a local one) and password. */
	Map<String, String> viewEnvironment(RestRelay relay) {
		Map<String, String> env = new HashMap<>();
		env.put("RESTIC_REPOSITORY", relay != null ? relay.repository() : location());
		env.put("RESTIC_PASSWORD", password());
		env.put("RESTIC_CACHE_DIR", "/proc/restic-cache");
		env.put("HOME", "/proc");
		return env;
	}

	/**
	 * Runs restic over a VE's files: {@code view} turns the restic command into a process in the VE's view.
	 * A local repository is reached through a relay for the length of the run.
	 */
	public ProcessResult inView(Function<List<String>, ProcessBuilder> view, List<String> args) {
		return inView(view, args, process -> () -> {
		});
	}

	/** As above; {@code watch} is told of restic's process while it runs, so that a stop of the VE can end it. */
	public ProcessResult inView(Function<List<String>, ProcessBuilder> view, List<String> args,
			Function<Process, AutoCloseable> watch) {
		ensureReady();
		RestRelay relay = isLocal() ? RestRelay.serve(location()) : null;
		try {
			List<String> command = new ArrayList<>(List.of(restic()));
			command.addAll(args);
			ProcessBuilder builder = view.apply(command);
			builder.environment().clear();
			builder.environment().putAll(viewEnvironment(relay));
			// backup and restore take restic's shared lock
			try (RepositoryLock.Held held = order.shared()) {
				return retryingPartialReads(() -> {
					HelperProcess.Output result = HelperProcess.run(builder, DEADLINE, null, watch);
					return new ProcessResult(result.exitCode(), result.out(), result.err());
				});
			}
		}
		finally {
			if (relay != null) {
				relay.close();
			}
		}
	}

	private void unlockStale() {
		run(List.of("unlock"), false);
	}

	private String password() {
		try {
			return Files.readString(dir.resolve("password")).strip();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the backup password: " + ex.getMessage(), ex);
		}
	}

	private static String restic() {
		for (String candidate : List.of("/usr/bin/restic", "/usr/local/bin/restic")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		throw new EngineException("backup: restic is not installed (apt-get install restic)");
	}

	/** restic's commands that take its exclusive lock: they wait for the rest and run alone. */
	private static final java.util.Set<String> EXCLUSIVE = java.util.Set.of("forget", "prune", "check", "unlock", "init");

	private ProcessResult run(List<String> args, boolean quiet) {
		List<String> command = new ArrayList<>(List.of(restic(), "--no-cache", "--password-file",
				dir.resolve("password").toString()));
		command.addAll(args);
		ProcessBuilder builder = HelperProcess.command(command);
		builder.environment().put("RESTIC_REPOSITORY", location());
		if (EXCLUSIVE.contains(args.get(0))) {
			try (RepositoryLock.Held held = order.exclusive()) {
				return ProcessResult.of(builder);
			}
		}
		try (RepositoryLock.Held held = order.shared()) {
			return retryingPartialReads(() -> ProcessResult.of(builder));
		}
	}

	/** How often work under the shared lock runs again after reading a file another backup was still writing. */
	private static final int PARTIAL_READ_ATTEMPTS = 4;

	/**
	 * Backups run side by side, and the relay ({@code rclone serve restic}) writes a new snapshot or index file
	 * in place, not under a temporary name: a restic that lists the repository at that moment reads the file
	 * half-written and stops with "invalid data returned" (restic 0.14 does not retry it). The file is whole a
	 * moment later, so such a run is tried again; a file that stays invalid is real damage and its error is told.
	 */
	static ProcessResult retryingPartialReads(java.util.function.Supplier<ProcessResult> work) {
		ProcessResult result = work.get();
		for (int attempt = 1; attempt < PARTIAL_READ_ATTEMPTS && readHalfWrittenFile(result); attempt++) {
			try {
				Thread.sleep(250L * attempt);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result;
			}
			result = work.get();
		}
		return result;
	}

	private static boolean readHalfWrittenFile(ProcessResult result) {
		return result.exitCode() != 0 && result.err().contains("invalid data returned");
	}

	public static String check(ProcessResult result, String what) {
		if (result.exitCode() != 0) {
			String reason = result.err().isBlank() ? result.out() : result.err();
			throw new EngineException("backup: cannot " + what + ": " + reason.strip());
		}
		return result.out();
	}

	private static JsonNode parse(String json) {
		try {
			return JSON.readTree(json.isBlank() ? "[]" : json);
		}
		catch (JacksonException ex) {
			throw new EngineException("backup: restic said something unexpected: " + ex.getMessage(), ex);
		}
	}

	private static JsonNode parseLine(String line) {
		try {
			return line.isBlank() ? null : JSON.readTree(line);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** A finished process: exit code and output. */
	public record ProcessResult(int exitCode, String out, String err) {

		/** Runs a restic (or other) process to its end, or to the backup deadline, which kills it. */
		public static ProcessResult of(ProcessBuilder builder) {
			return of(builder, DEADLINE);
		}

		public static ProcessResult of(ProcessBuilder builder, Duration deadline) {
			HelperProcess.Output result = HelperProcess.run(builder, deadline);
			return new ProcessResult(result.exitCode(), result.out(), result.err());
		}
	}
}
