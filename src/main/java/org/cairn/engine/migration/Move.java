// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeMigrations;
import org.cairn.engine.VeState;
import org.cairn.engine.VeStatus;
import org.jspecify.annotations.Nullable;

/**
 * A move of one VE from one node's engine to another's, step by step, so that whoever drives it (the panel's job,
 * which records each step) can take it up after an interruption: {@link #copyWhileRunning}, {@link
 * #stopAndCopyTheRest}, {@link #arrive}, {@link #leaveSource}; or {@link #callOff}. What the source sends is passed
 * to the target as it comes (nothing is stored between); a pass whose connection drops is taken up where it stopped.
 * Cold, the VE stops on the source and boots on the target; live, its processes are saved by a checkpoint instead of
 * stopped, go with its files, and are restored on the target: they carry on, TCP connections included.
 */
public final class Move {

	/** Passes of the disk image while the VE runs: the first copies everything, the next what changed meanwhile. */
	private static final int LIVE_PASSES = 2;

	private static final int TRIES = 3;

	private final VeEngine source;

	private final VeEngine target;

	private final String name;

	private final Consumer<String> progress;

	private final boolean live;

	/** What the source said of the VE when its copy began: its record does not change while it moves. */
	private VeMigrations.Departure departure;

	/** A cold move. */
	public Move(VeEngine source, VeEngine target, String name, Consumer<String> progress) {
		this(source, target, name, progress, false);
	}

	/** A move, live when {@code live} (a VE that is stopped moves cold all the same). */
	public Move(VeEngine source, VeEngine target, String name, Consumer<String> progress, boolean live) {
		this.source = source;
		this.target = target;
		this.name = name;
		this.progress = progress;
		this.live = live;
	}

	/** What was sent of a pass: chunks of the disk and their compressed bytes (files are counted apart). */
	public record Sent(long chunks, long bytes) {
	}

	/** Sends the VE's files while it runs (or is stopped): the longest part, before any downtime. */
	public void copyWhileRunning() {
		VeMigrations.Departure departure = departure();
		for (int pass = 1; pass <= (departure.image() ? LIVE_PASSES : 1); pass++) {
			progress.accept("copying (pass " + pass + ")");
			copy(departure, false, null);
		}
	}

	/** How long the stop and the last copy took (zero when the VE was stopped already). */
	public record Stopped(Duration stop, Duration copy) {
	}

	/**
	 * Stops the VE on the source (if it runs; live: saves it in a checkpoint) and sends what changed since: the
	 * downtime's first part. A VE that CRIU cannot save runs on, and the exception says why.
	 */
	public Stopped stopAndCopyTheRest(Duration stopTimeout) {
		boolean running = source.status(name).state() != VeState.STOPPED;
		// what the target holds does not change until the last pass: asked before the downtime begins
		VeMigrations.Arrival holds = target.migrations().receive(departure());
		if (running) {
			// live, the downtime is too short for its steps to be shown apart (each a write of the job's progress)
			progress.accept(live ? "saving its processes, copying them and restoring them on the target"
					: "stopping on the source");
		}
		long t0 = System.nanoTime();
		if (running && live) {
			try {
				source.checkpoints().checkpoint(name);
			}
			catch (EngineException.Unreachable ex) {
				throw ex;
			}
			catch (EngineException ex) {
				throw new EngineException(ex.getMessage() + "; a cold move (which restarts it) works for it", ex);
			}
		}
		else if (running) {
			source.stop(name, stopTimeout);
		}
		long t1 = System.nanoTime();
		if (!live) {
			progress.accept("copying what changed");
		}
		copy(departure(), true, holds);
		return new Stopped(Duration.ofNanos(t1 - t0), Duration.ofNanos(System.nanoTime() - t1));
	}

	/** Makes the copy the target's VE and starts it there when asked (live: restores it): the downtime's end. */
	public VeStatus arrive(boolean start) {
		if (!live) {
			progress.accept("starting on the target");
		}
		return target.migrations().arrive(name, start);
	}

	/** The VE runs on the target: its files on the source go. */
	public void leaveSource() {
		try {
			source.destroy(name);
		}
		catch (EngineException.NotFound ex) {
			// removed by an earlier try
		}
	}

	/**
	 * Calls the move off before the target started the VE: the partial copy goes, and the VE is the source's again
	 * (started again when it ran).
	 */
	public void callOff(boolean startAgain) {
		try {
			target.migrations().abandon(name);
		}
		finally {
			source.migrations().stay(name);
			if (startAgain && source.status(name).state() == VeState.STOPPED) {
				source.start(name);
			}
		}
	}

	private VeMigrations.Departure departure() {
		if (departure == null) {
			departure = source.migrations().depart(name);
		}
		return departure;
	}

	/** One pass; {@code holds}, when given, is what the target holds (asked again after a failed attempt). */
	private void copy(VeMigrations.Departure departure, boolean last, VeMigrations.@Nullable Arrival holds) {
		for (int attempt = 1;; attempt++) {
			try {
				VeMigrations.Arrival arrival = attempt == 1 && holds != null ? holds
						: target.migrations().receive(departure);
				// the disk image and the other files go side by side: neither waits for the other's reads
				FutureTask<Void> image = new FutureTask<>(() -> {
					try (InputStream stream = source.migrations().sendImage(name, arrival.image(), last)) {
						target.migrations().applyImage(name, stream);
					}
					return null;
				});
				if (departure.image()) {
					Thread.ofVirtual().name("move-image-" + name).start(image);
				}
				else {
					image.cancel(false);
				}
				try {
					int pass = arrival.filesPass();
					try (InputStream files = source.migrations().sendFiles(name, pass, last)) {
						target.migrations().applyFiles(name, pass + 1, files);
					}
				}
				finally {
					finish(image);
				}
				return;
			}
			catch (EngineException.Unreachable | IOException | UncheckedIOException ex) {
				if (attempt == TRIES) {
					throw ex instanceof EngineException engine ? engine
							: new EngineException("migrate: the copy of " + name + " failed: " + ex.getMessage(), ex);
				}
				progress.accept("copying again where it stopped (" + ex.getMessage() + ")");
			}
			catch (EngineException ex) {
				// a transfer cut short surfaces on the target as its stream ending early: taken up where it stopped
				if (attempt == TRIES || !ex.getMessage().contains("did not all arrive")) {
					throw ex;
				}
				progress.accept("copying again where it stopped (" + ex.getMessage() + ")");
			}
		}
	}

	/** Waits for the image's transfer (cancelled: there was none) and gives its failure as its own. */
	private static void finish(FutureTask<Void> image) throws IOException {
		try {
			if (!image.isCancelled()) {
				image.get();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			switch (ex.getCause()) {
				case IOException io -> throw io;
				case RuntimeException runtime -> throw runtime;
				default -> throw new IOException(ex.getCause().toString(), ex.getCause());
			}
		}
	}
}
