// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.cairn.engine.EngineException;

/**
 * The order of work on the one repository all VEs share. restic 0.14 has no lock retry: a backup fails with
 * "repository is already locked" while any other process prunes or forgets, and a prune fails while anything
 * else runs. So Cairn orders it itself: work that restic does under a shared lock (backup, restore, list) runs
 * side by side; work under restic's exclusive lock (forget, prune, check) waits for it and runs alone. Across
 * Cairn's processes (the panel, the CLI) a file lock does the same. Backups come first: a prune waits for a
 * moment when none runs.
 */
final class RepositoryLock {

	private static final Map<Path, RepositoryLock> LOCKS = new ConcurrentHashMap<>();

	/** An acquired lock; closing releases it. */
	interface Held extends AutoCloseable {

		@Override
		void close();
	}

	private final Path file;

	private final ReentrantReadWriteLock inProcess = new ReentrantReadWriteLock();

	private FileChannel channel;

	private FileLock sharedFileLock;

	private int sharers;

	/** Held while deciding whether the repository must be made first (never while waiting for the lock above). */
	final Object setup = new Object();

	private RepositoryLock(Path file) {
		this.file = file;
	}

	static RepositoryLock of(Path dir) {
		return LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new RepositoryLock(d.resolve(".cairn-order")));
	}

	/** For restic's shared-lock work: waits only for exclusive work. */
	Held shared() {
		inProcess.readLock().lock();
		try {
			synchronized (this) {
				if (sharers == 0) {
					sharedFileLock = channel().lock(0, Long.MAX_VALUE, true);
				}
				sharers++;
			}
		}
		catch (IOException | RuntimeException ex) {
			inProcess.readLock().unlock();
			throw failure(ex);
		}
		return () -> {
			synchronized (this) {
				if (--sharers == 0) {
					release(sharedFileLock);
				}
			}
			inProcess.readLock().unlock();
		};
	}

	/**
	 * For restic's exclusive-lock work: waits until nothing else runs on the repository, then runs alone. It
	 * waits without queueing (tries again each second), so that shared work never waits behind it: another VE's
	 * backup that runs for hours delays a prune, never the other VEs' backups.
	 */
	Held exclusive() {
		FileLock lock = null;
		while (lock == null) {
			if (inProcess.writeLock().tryLock()) {
				try {
					lock = channel().tryLock(0, Long.MAX_VALUE, false);
				}
				catch (IOException | RuntimeException ex) {
					inProcess.writeLock().unlock();
					throw failure(ex);
				}
				if (lock == null) {
					inProcess.writeLock().unlock();
				}
			}
			if (lock == null) {
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new EngineException("Interrupted while waiting for the backup repository");
				}
			}
		}
		FileLock held = lock;
		return () -> {
			release(held);
			inProcess.writeLock().unlock();
		};
	}

	private synchronized FileChannel channel() throws IOException {
		if (channel == null || !channel.isOpen()) {
			java.nio.file.Files.createDirectories(file.getParent());
			// a shared lock needs a channel open for reading, an exclusive one for writing
			channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
		}
		return channel;
	}

	private static void release(FileLock lock) {
		try {
			lock.release();
		}
		catch (IOException ex) {
			// the channel is gone with its locks
		}
	}

	private EngineException failure(Exception ex) {
		return new EngineException("backup: cannot take the repository's order lock " + file + ": " + ex, ex);
	}
}
