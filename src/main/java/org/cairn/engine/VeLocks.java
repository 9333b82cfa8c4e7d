// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One operation per VE at a time: a lock within this JVM and a file lock under {@code ROOT/locks}, so that
 * the panel and the CLI on the same root wait for each other.
 */
final class VeLocks {

	private final Path dir;

	private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();

	VeLocks(Path root) {
		this.dir = root.resolve("locks");
	}

	/** A held lock; closing releases it. */
	interface Held extends AutoCloseable {

		/** This lock, which runs {@code after} once released. */
		default Held then(Runnable after) {
			Held self = this;
			return () -> {
				try {
					self.close();
				}
				finally {
					after.run();
				}
			};
		}

		@Override
		void close();
	}

	Held acquire(String name, Duration wait) {
		Held held = tryAcquire(name, wait);
		if (held == null) {
			throw new EngineException.Busy(name + ": another operation on this VE has been running for more than "
					+ wait.toSeconds() + " s; try again when it has finished");
		}
		return held;
	}

	/**
	 * The VE's lock for an operation that yields to a stop, suspend or destroy: one asked while this one waited
	 * for the lock goes first, and this one is refused then (a queue of renames never holds an admin's stop up).
	 */
	Held yielding(VeDirectory ve, Duration wait) {
		Held held = acquire(ve.name(), wait);
		if (Files.exists(ve.state().resolve(PREEMPT))) {
			held.close();
			throw new EngineException.Busy(ve.name() + ": a stop, suspend or destroy came first; try again");
		}
		return held;
	}

	/**
	 * The VE's lock for a stop, suspend or destroy, which wins over what is under way: the helpers at work on the
	 * VE end, operations waiting for the lock give up (see {@link #yielding}), and this one gets it next.
	 */
	Held winning(VeDirectory ve, Duration wait) {
		Path marker = ve.state().resolve(PREEMPT);
		boolean marked = Files.isDirectory(marker.getParent());
		if (marked) {
			VeRunner.touch(marker);
		}
		try {
			VeHelpers.interrupt(ve);
			Held held = acquire(ve.name(), wait);
			return marked ? held.then(() -> VeDirectory.deleteQuietly(marker)) : held;
		}
		catch (RuntimeException ex) {
			VeDirectory.deleteQuietly(marker);
			throw ex;
		}
	}

	private static final String PREEMPT = "preempt";

	/** @return null when the lock was not free within {@code wait} */
	Held tryAcquire(String name, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		ReentrantLock inJvm = local.computeIfAbsent(name, n -> new ReentrantLock());
		try {
			if (!inJvm.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				return null;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted while waiting for " + name);
		}
		try {
			Files.createDirectories(dir);
			FileChannel channel = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			while (true) {
				FileLock lock;
				try {
					lock = channel.tryLock();
				}
				catch (OverlappingFileLockException ex) {
					lock = null;
				}
				if (lock != null) {
					FileLock acquired = lock;
					return () -> {
						try {
							acquired.release();
							channel.close();
						}
						catch (IOException ex) {
							// closing the channel releases the lock in any case
						}
						finally {
							inJvm.unlock();
						}
					};
				}
				if (System.nanoTime() > deadline) {
					channel.close();
					inJvm.unlock();
					return null;
				}
				Thread.sleep(50);
			}
		}
		catch (IOException ex) {
			inJvm.unlock();
			throw new EngineException("Cannot lock " + name + " under " + dir + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			inJvm.unlock();
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted while waiting for " + name);
		}
	}
}
