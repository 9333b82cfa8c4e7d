// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.cairn.engine.launcher.Launcher;

/**
 * Snapshots as copies of the VE's writable layer, made by rsync in the launcher's view of the VE's files: as the
 * VE's root, the layer and the snapshot store its only folders, so nothing the VE planted there (a symlink
 * swapped in mid-copy) leads rsync anywhere else. Overlay's whiteouts and xattrs, owners, hard links, ACLs and
 * file capabilities are kept; a snapshot shares the files that did not change with the one before it (hard
 * links). The list lives beside the VE's record, on the node.
 */
final class LinuxVeSnapshots implements VeSnapshots {

	private static final String RSYNC = "/usr/bin/rsync";

	/** Times compared to the nanosecond: a file rewritten within the same second is copied again. */
	private static final List<String> COPY = List.of(RSYNC, "-aHAX", "--numeric-ids", "--delete",
			"--modify-window=-1");

	private static final Duration DEADLINE = Duration.ofHours(2);

	private final LinuxVeEngine engine;

	private final Launcher launcher;

	LinuxVeSnapshots(LinuxVeEngine engine, Launcher launcher) {
		this.engine = engine;
		this.launcher = launcher;
	}

	@Override
	public Snapshot create(String ve, String name) {
		VeSnapshots.checkName(name);
		checkRsync();
		return engine.withFiles(ve, pid -> {
			Properties index = index(ve);
			if (index.containsKey(name + ".created")) {
				throw new EngineException("snapshot: " + ve + " has a snapshot named " + name);
			}
			LinuxVeEngine.Layer layer = engine.layer(ve);
			Path partial = layer.snapshots().resolve(".partial-" + name);
			try {
				prepareStore(layer);
				Trees.delete(partial);
				List<String> copy = new ArrayList<>(COPY);
				latest(index).filter(previous -> Files.isDirectory(layer.snapshots().resolve(previous)))
					.ifPresent(previous -> copy.add("--link-dest=/snapshots/" + previous));
				copy.addAll(List.of("/upper/", "/snapshots/.partial-" + name + "/"));
				// while the VE runs (24: files vanished meanwhile), then frozen: what changed since
				rsync(ve, pid, layer, copy, 24);
				Duration frozen = engine.whileFrozen(ve, () -> rsync(ve, pid, layer, copy, 0));
				Files.move(partial, layer.snapshots().resolve(name));
				Snapshot taken = new Snapshot(name, Instant.now(), ownBytes(layer, index, name), frozen);
				index.setProperty(name + ".created", Long.toString(taken.created().toEpochMilli()));
				index.setProperty(name + ".bytes", Long.toString(taken.bytes()));
				index.setProperty(name + ".frozen-ms", Long.toString(frozen.toMillis()));
				store(ve, index);
				return taken;
			}
			catch (IOException ex) {
				throw new EngineException("snapshot: cannot take " + name + " of " + ve + ": " + ex.getMessage(), ex);
			}
			finally {
				Trees.delete(partial);
			}
		});
	}

	@Override
	public List<Snapshot> list(String ve) {
		Properties index = index(ve);
		List<Snapshot> all = new ArrayList<>();
		for (String key : index.stringPropertyNames()) {
			if (key.endsWith(".created")) {
				String name = key.substring(0, key.length() - ".created".length());
				all.add(new Snapshot(name, Instant.ofEpochMilli(Long.parseLong(index.getProperty(key))),
						Long.parseLong(index.getProperty(name + ".bytes", "0")),
						Duration.ofMillis(Long.parseLong(index.getProperty(name + ".frozen-ms", "0")))));
			}
		}
		all.sort(Comparator.comparing(Snapshot::created).thenComparing(Snapshot::name));
		return all;
	}

	@Override
	public void rollback(String ve, String name) {
		VeSnapshots.checkName(name);
		checkRsync();
		if (!index(ve).containsKey(name + ".created")) {
			throw new NoSuchSnapshotException(ve, name);
		}
		// no clean shutdown: it would only flush files that are about to be put back (Proxmox kills as well)
		engine.withFilesStopped(ve, Duration.ZERO, pid -> {
			LinuxVeEngine.Layer layer = engine.layer(ve);
			if (!Files.isDirectory(layer.snapshots().resolve(name))) {
				throw new EngineException("snapshot: the files of " + name + " are gone from " + ve + "'s disk");
			}
			List<String> copy = new ArrayList<>(COPY);
			copy.addAll(List.of("/snapshots/" + name + "/", "/upper/"));
			rsync(ve, pid, layer, copy, 0);
			return null;
		});
	}

	@Override
	public void delete(String ve, String name) {
		VeSnapshots.checkName(name);
		engine.withFiles(ve, pid -> {
			Properties index = index(ve);
			if (!index.containsKey(name + ".created")) {
				throw new NoSuchSnapshotException(ve, name);
			}
			// the store is the node's (no folder of it is the VE's): removed from the node's side
			Trees.delete(engine.layer(ve).snapshots().resolve(name));
			for (String suffix : List.of(".created", ".bytes", ".frozen-ms")) {
				index.remove(name + suffix);
			}
			store(ve, index);
			return null;
		});
	}

	/** A snapshot that does not exist, named as the user named it. */
	static final class NoSuchSnapshotException extends EngineException.NotFound {

		NoSuchSnapshotException(String ve, String name) {
			super("snapshot: " + ve + " has no snapshot named " + name);
		}
	}

	private static void checkRsync() {
		if (!Files.isExecutable(Path.of(RSYNC))) {
			throw new EngineException("snapshot: snapshots need rsync: apt-get install rsync");
		}
	}

	/** The store: the VE's root's, so that rsync, as that root, writes there. */
	private void prepareStore(LinuxVeEngine.Layer layer) throws IOException {
		Files.createDirectories(layer.snapshots());
		Files.setAttribute(layer.snapshots(), "unix:uid", (int) layer.uidBase());
		Files.setAttribute(layer.snapshots(), "unix:gid", (int) layer.uidBase());
		Files.setPosixFilePermissions(layer.snapshots(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
	}

	private void rsync(String ve, long pid, LinuxVeEngine.Layer layer, List<String> command, int alsoGood) {
		try (HelperCgroup cgroup = engine.helperCgroup(ve)) {
			HelperProcess.Output result = HelperProcess.run(
					launcher.files(pid, command, cgroup.procsFiles(),
							Map.of("upper", layer.upper(), "snapshots", layer.snapshots())),
					DEADLINE, new byte[0], process -> VeHelpers.track(engine.directoryOf(ve), process));
			if (result.exitCode() != 0 && result.exitCode() != alsoGood) {
				String text = result.text();
				throw new EngineException(text.contains("No space left") ? "snapshot: " + ve
						+ "'s disk is full; its snapshots are kept on it" : "snapshot: rsync failed: " + text);
			}
		}
	}

	/** What the new snapshot holds that no earlier one shares (du counts a hard-linked file once). */
	private static long ownBytes(LinuxVeEngine.Layer layer, Properties index, String name) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/du", "-s", "-B1"));
		namesOldestFirst(index).forEach(earlier -> {
			if (Files.isDirectory(layer.snapshots().resolve(earlier))) {
				command.add(layer.snapshots().resolve(earlier).toString());
			}
		});
		command.add(layer.snapshots().resolve(name).toString());
		HelperProcess.Output du = HelperProcess.run(HelperProcess.command(command), Duration.ofMinutes(10));
		String[] lines = du.out().strip().split("\n");
		return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
	}

	private static List<String> namesOldestFirst(Properties index) {
		return index.stringPropertyNames()
			.stream()
			.filter(key -> key.endsWith(".created"))
			.sorted(Comparator.comparing(key -> Long.parseLong(index.getProperty(key))))
			.map(key -> key.substring(0, key.length() - ".created".length()))
			.toList();
	}

	private static java.util.Optional<String> latest(Properties index) {
		List<String> all = namesOldestFirst(index);
		return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
	}

	private Path indexFile(String ve) {
		return engine.directoryOf(ve).dir().resolve("snapshots.properties");
	}

	private Properties index(String ve) {
		Properties index = new Properties();
		Path file = indexFile(ve);
		if (Files.exists(file)) {
			try (Reader in = Files.newBufferedReader(file)) {
				index.load(in);
			}
			catch (IOException ex) {
				throw new EngineException("Cannot read " + file + ": " + ex.getMessage(), ex);
			}
		}
		return index;
	}

	private void store(String ve, Properties index) {
		Path file = indexFile(ve);
		Path next = file.resolveSibling(file.getFileName() + ".new");
		try {
			try (Writer out = Files.newBufferedWriter(next)) {
				index.store(out, "the VE's snapshots");
			}
			Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}
}
