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
 * Cairn's processes (the panel, the CLI) a file lock does the same. A prune waits for a moment when no backup
 * runs, and gets one by asking new backups to hold back for at most a minute.
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

	/** How long exclusive work waits politely before it asks new shared work to hold back. */
	private static final long ASK_AFTER_NANOS = 2_000_000_000L;

	/** How long shared work holds back for exclusive work that asked, and how long such an ask lasts. */
	private static final long HOLD_BACK_NANOS = 60_000_000_000L;

	private final Object turn = new Object();

	/** Exclusive work of this process that asked for its turn (guarded by {@link #turn}). */
	private int askers;

	/** For restic's shared-lock work: waits for exclusive work that runs, and a while for one that asked. */
	Held shared() {
		synchronized (turn) {
			long until = System.nanoTime() + HOLD_BACK_NANOS;
			while (askers > 0 && System.nanoTime() < until) {
				try {
					turn.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new EngineException("Interrupted while waiting for the backup repository");
				}
			}
		}
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
	 * never queues behind shared work: after a couple of seconds it asks new shared work of this process to hold
	 * back (a minute at most), so that it gets a turn while backups come one after the other, yet another VE's
	 * backup that runs for hours delays a prune, never the other VEs' backups for more than that minute.
	 */
	Held exclusive() {
		FileLock lock = null;
		long since = System.nanoTime();
		long askedAt = 0;
		try {
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
				if (lock != null) {
					break;
				}
				long now = System.nanoTime();
				if (askedAt == 0 && now - since > ASK_AFTER_NANOS) {
					askedAt = now;
					ask(1);
				}
				else if (askedAt != 0 && now - askedAt > HOLD_BACK_NANOS) {
					// no turn came (a long backup runs): let shared work go on, ask again later
					ask(-1);
					askedAt = 0;
					since = now;
				}
				try {
					Thread.sleep(askedAt != 0 ? 100 : 500);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new EngineException("Interrupted while waiting for the backup repository");
				}
			}
		}
		finally {
			if (askedAt != 0) {
				ask(-1);
			}
		}
		FileLock held = lock;
		return () -> {
			release(held);
			inProcess.writeLock().unlock();
		};
	}

	private void ask(int change) {
		synchronized (turn) {
			askers += change;
			turn.notifyAll();
		}
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
