// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.cairn.engine.migration.ImageChunks;
import org.cairn.engine.migration.ImageSync;
import org.cairn.engine.migration.TreeSync;

/**
 * Both halves of a cold move on this node. The source keeps its passes in the VE's {@code .migration} folder; the
 * target receives into {@code ves/.incoming-NAME} ({@code files/}, the tree as it will be, and {@code disk.img}
 * beside it: tar's incremental extraction deletes what its dump does not list, and the image is not in it), which
 * becomes {@code ves/NAME} when the VE arrives.
 */
final class LinuxVeMigrations implements VeMigrations {

	/** What stays on the source: the node's own view of the running VE, and its disk image (sent by chunks). */
	private static final List<String> NOT_FILES = List.of("state", "operation", "hold", "merged", "idmapped", "disk",
			"disk.img", ".migration", ".ve.properties.tmp", ".checkpoint-new");

	private final LinuxVeEngine engine;

	private final Path ves;

	private final VeLocks locks;

	private final VeRunner runner;

	private final Supplier<VeLocks.Held> engineLock;

	private final Duration lockWait;

	LinuxVeMigrations(LinuxVeEngine engine, Path ves, VeLocks locks, VeRunner runner,
			Supplier<VeLocks.Held> engineLock, Duration lockWait) {
		this.engine = engine;
		this.ves = ves;
		this.locks = locks;
		this.runner = runner;
		this.engineLock = engineLock;
		this.lockWait = lockWait;
	}

	// ---- the source ----

	@Override
	public Departure depart(String name) {
		VeDirectory ve = engine.directoryOf(name);
		VeDirectory.Record record = ve.read();
		return new Departure(name, record.template(), record.uidBase(), record.limits().diskBytes(),
				Files.exists(ve.diskImage()), record.network());
	}

	@Override
	public InputStream sendFiles(String name, int since, boolean last) {
		VeDirectory ve = leaving(name, last);
		try {
			return TreeSync.send(ve.dir(), ve.migration(), Math.max(0, since), NOT_FILES);
		}
		catch (IOException ex) {
			throw new EngineException("migrate: cannot read the files of " + name + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public InputStream sendImage(String name, ImageChunks have, boolean last) {
		VeDirectory ve = leaving(name, last);
		if (!Files.exists(ve.diskImage())) {
			throw new EngineException("migrate: " + name + " has no disk image");
		}
		if (!last) {
			flush(ve);
		}
		// the image is read, hashed and compressed on a thread of its own, as fast as the caller takes it
		try {
			PipedInputStream in = new PipedInputStream(1 << 20);
			PipedOutputStream out = new PipedOutputStream(in);
			Thread.ofVirtual().name("image-send-" + name).start(() -> {
				try (out) {
					ImageSync.send(ve.diskImage(), have, out);
				}
				catch (IOException ex) {
					// the reader stopped or the image could not be read: the reader sees the stream end early
				}
			});
			return in;
		}
		catch (IOException ex) {
			throw new EngineException("migrate: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes what the running VE's file system holds in memory to its image (syncfs), so that a pass while it runs
	 * copies it and the last pass, during the downtime, has less to send.
	 */
	private void flush(VeDirectory ve) {
		if (runner.state(ve) != VeState.RUNNING) {
			return;
		}
		try {
			Process sync = new ProcessBuilder("sync", "--file-system", engine.layer(ve.name()).upper().toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!sync.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
				sync.destroyForcibly();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the pass copies less of it, and the last pass the rest
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The VE, checked; on its last pass it must be stopped, and is kept from starting here. */
	private VeDirectory leaving(String name, boolean last) {
		VeDirectory ve = engine.directoryOf(name);
		if (!last) {
			return ve;
		}
		try (var lock = locks.yielding(ve, lockWait)) {
			VeState state = runner.state(ve);
			if (state != VeState.STOPPED) {
				throw new EngineException("migrate: " + name + " is " + state.label()
						+ "; its last pass is sent once it has stopped");
			}
			Files.createDirectories(ve.migration());
			if (!Files.exists(ve.leaving())) {
				Files.createFile(ve.leaving());
			}
			return ve;
		}
		catch (IOException ex) {
			throw new EngineException("migrate: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void stay(String name) {
		VeDirectory ve = engine.directoryOf(name);
		try (var lock = locks.yielding(ve, lockWait)) {
			Trees.delete(ve.migration());
		}
	}

	// ---- the target ----

	private Path incoming(String name) {
		VeSpec.checkName(name);
		return ves.resolve(".incoming-" + name);
	}

	@Override
	public Arrival receive(Departure departure) {
		String name = departure.name();
		Path incoming = incoming(name);
		try (var engineHeld = engineLock.get(); var held = locks.acquire(name, lockWait)) {
			if (Files.exists(ves.resolve(name).resolve("ve.properties"))) {
				throw new EngineException("name: this node has a VE named " + name + " already");
			}
			engine.template(departure.template());
			engine.allotments().checkAddressesFree(name, departure.network());
			if (!Files.exists(incoming)) {
				engine.checkDiskFits(departure.diskBytes());
				Files.createDirectories(incoming.resolve("files"));
				Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rwx------"));
			}
			return new Arrival(filesPass(incoming), departure.image() ? ImageSync.copied(incoming.resolve("disk.img"))
					: ImageChunks.NONE);
		}
		catch (IOException ex) {
			throw new EngineException("migrate: cannot prepare " + incoming + ": " + ex.getMessage(), ex);
		}
	}

	private static int filesPass(Path incoming) throws IOException {
		Path pass = incoming.resolve("files-pass");
		return Files.exists(pass) ? Integer.parseInt(Files.readString(pass).strip()) : 0;
	}

	private Path receiving(String name) {
		Path incoming = incoming(name);
		if (!Files.isDirectory(incoming)) {
			throw new EngineException.NotFound("migrate: this node is not receiving a VE named " + name);
		}
		return incoming;
	}

	@Override
	public void applyFiles(String name, int pass, InputStream files) {
		Path incoming = receiving(name);
		try (var held = locks.acquire(name, lockWait)) {
			TreeSync.apply(incoming.resolve("files"), files);
			Files.writeString(incoming.resolve("files-pass"), Integer.toString(pass));
		}
		catch (IOException ex) {
			throw new EngineException("migrate: the files of " + name + " did not all arrive: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void applyImage(String name, InputStream image) {
		Path incoming = receiving(name);
		// a lock of the image's own: the other files arrive meanwhile, under the VE's
		try (var held = locks.acquire(imageLock(name), lockWait)) {
			ImageSync.apply(incoming.resolve("disk.img"), image);
		}
		catch (IOException ex) {
			throw new EngineException("migrate: the disk of " + name + " did not all arrive: " + ex.getMessage(), ex);
		}
	}

	@Override
	public VeStatus arrive(String name, boolean start) {
		Path incoming = incoming(name);
		VeDirectory ve = new VeDirectory(ves.resolve(name));
		try (var engineHeld = engineLock.get(); var held = locks.acquire(name, lockWait);
				var image = locks.acquire(imageLock(name), lockWait)) {
			if (Files.isDirectory(incoming)) {
				if (Files.exists(ve.properties())) {
					throw new EngineException("name: this node has a VE named " + name + " already");
				}
				if (filesPass(incoming) == 0) {
					throw new EngineException("migrate: no files of " + name + " have arrived");
				}
				VeDirectory files = new VeDirectory(incoming.resolve("files"));
				VeDirectory.Record record = files.read();
				engine.template(record.template());
				engine.allotments().checkAddressesFree(name, record.network());
				long base = engine.allotments().freeUidBase(record.uidBase());
				if (base != record.uidBase() && VeCheckpoint.exists(files)) {
					// its saved processes live in a user namespace of the ids they had; CRIU gives them the same
					throw new EngineException("migrate: the ids of " + name + " (from " + record.uidBase() + ") are not"
							+ " free on this node (another VE's, or below its first id), and its saved processes keep"
							+ " theirs: move it cold instead");
				}
				if (Files.exists(incoming.resolve("disk.img"))) {
					ImageSync.forget(incoming.resolve("disk.img"));
					Files.move(incoming.resolve("disk.img"), files.diskImage());
					Files.createDirectories(files.disk());
				}
				for (Path dir : List.of(files.merged(), files.idmapped(), files.state())) {
					Files.createDirectories(dir);
				}
				Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx--x--x"));
				if (base != record.uidBase()) {
					Files.writeString(files.pendingShift(), Long.toString(record.uidBase()));
					files.write(record.withUidBase(base));
				}
				Files.move(files.dir(), ve.dir());
				Trees.delete(incoming);
			}
			if (!Files.exists(ve.properties())) {
				throw new EngineException.NotFound("migrate: this node is not receiving a VE named " + name);
			}
			if (Files.exists(ve.pendingShift())) {
				shiftOwners(ve);
			}
		}
		catch (IOException ex) {
			throw new EngineException("migrate: cannot put " + name + " in place: " + ex.getMessage(), ex);
		}
		// in the same call: a live move's downtime ends with it
		VeStatus arrived = engine.status(name);
		return start && arrived.state() == VeState.STOPPED ? engine.start(name) : arrived;
	}

	/**
	 * Gives the files the VE's new range of ids: an owner {@code old + n} becomes {@code new + n}. chown drops
	 * setuid and setgid bits, which are put back; file capabilities on files of the writable layer are lost (the
	 * kernel drops them too, and their root id would be the old range's).
	 */
	private void shiftOwners(VeDirectory ve) throws IOException {
		long from = Long.parseLong(Files.readString(ve.pendingShift()).strip());
		long to = ve.read().uidBase();
		runner.withFiles(ve, pid -> {
			LinuxVeEngine.Layer layer = engine.layer(ve.name());
			for (Path tree : List.of(layer.upper(), layer.upper().resolveSibling("work"), layer.snapshots())) {
				shift(tree, from, to);
			}
			return null;
		});
		Files.delete(ve.pendingShift());
	}

	private static void shift(Path tree, long from, long to) {
		if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			Files.walkFileTree(tree, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
					move(dir);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
					move(file);
					return FileVisitResult.CONTINUE;
				}

				private void move(Path path) throws IOException {
					int uid = (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
					int gid = (int) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
					int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
					boolean moved = false;
					if (uid >= from && uid < from + EngineSettings.IDS_PER_VE) {
						Files.setAttribute(path, "unix:uid", (int) (uid - from + to), LinkOption.NOFOLLOW_LINKS);
						moved = true;
					}
					if (gid >= from && gid < from + EngineSettings.IDS_PER_VE) {
						Files.setAttribute(path, "unix:gid", (int) (gid - from + to), LinkOption.NOFOLLOW_LINKS);
						moved = true;
					}
					if (moved && (mode & 06000) != 0 && !Files.isSymbolicLink(path)) {
						Files.setAttribute(path, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
					}
				}
			});
		}
		catch (IOException ex) {
			throw new EngineException("migrate: cannot give " + tree + " its new owners: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void abandon(String name) {
		Path incoming = incoming(name);
		try (var held = locks.acquire(name, lockWait); var image = locks.acquire(imageLock(name), lockWait)) {
			Trees.delete(incoming);
		}
	}

	/** The lock of an arriving VE's disk image (a name no VE has: they have no dots). */
	private static String imageLock(String name) {
		return name + ".image";
	}
}
