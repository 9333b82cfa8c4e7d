// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.Optional;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles a job whose panel instance died while it ran, or whose node stopped answering in the middle of a create
 * ({@link JobLeases}), from what the VE's node says now: a
 * create whose VE the node made is finished (started, ready); one it did not is rolled back, its record and
 * addresses freed (a create still under way on the node holds the VE's lock, which the destroy waits for, so that
 * nothing is left behind); a destroy is carried out again; a stop or a restart is brought to the state it ends in
 * (a stopped VE, a running one) without doing again what was done; any other job (a reinstall, a backup, a
 * restore: work that must not run twice) ends as failed, the VE shown as it is. A node that does not answer leaves
 * the job for a later try.
 */
@Component
class JobRecovery {

	private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

	private static final java.time.Duration STOP_TIMEOUT = java.time.Duration.ofSeconds(30);

	private final JobRepository jobs;

	private final VeRepository ves;

	private final VeEngine engine;

	private final TransactionTemplate tx;

	private final VeMoves moves;

	private final JobProgress progress;

	JobRecovery(JobRepository jobs, VeRepository ves, @Lazy VeEngine engine, TransactionTemplate tx,
			@Lazy VeMoves moves, JobProgress progress) {
		this.progress = progress;
		this.moves = moves;
		this.jobs = jobs;
		this.ves = ves;
		this.engine = engine;
		this.tx = tx;
	}

	void settle(long jobId) {
		Optional<Job> found = jobs.findById(jobId);
		if (found.isPresent() && found.get().getKind().equals("migrate")) {
			// taken up from its recorded step (VeMoves), also after the job ended (a copy left on a silent node);
			// a node that does not answer: tried again a lease later
			if (!moves.settle(jobId)) {
				throw new IllegalStateException("the move of " + found.get().getVeName() + " waits for a node to answer");
			}
			return;
		}
		if (found.isEmpty() || found.get().getState() == Job.State.SUCCEEDED
				|| found.get().getState() == Job.State.FAILED) {
			return;
		}
		Job job = found.get();
		Optional<Ve> ve = job.getVeId() == null ? Optional.empty() : ves.findById(job.getVeId());
		log.warn("Settling job {} ({} of {}): the panel instance that ran it has gone, or its node did not answer",
				jobId, job.getKind(), job.getVeName());
		if (ve.isEmpty()) {
			progress.finish(jobId, false, "interrupted when the panel instance running it ended");
			return;
		}
		String name = ve.get().getEngineName();
		switch (job.getKind()) {
			case "create" -> {
				if (exists(name)) {
					if (engine.status(name).state() == VeState.STOPPED) {
						engine.start(name);
					}
					tx.executeWithoutResult(status -> ves.findById(ve.get().getId())
						.ifPresent(v -> v.setStatus(Ve.Status.READY)));
					progress.finish(jobId, true, "running (finished by another panel instance)");
				}
				else {
					destroyIfMade(name);
					tx.executeWithoutResult(status -> ves.findById(ve.get().getId()).ifPresent(ves::delete));
					progress.finish(jobId, false, "interrupted (the panel instance making it ended, or its node did not "
							+ "answer); nothing was kept, create it again");
				}
			}
			case "destroy" -> {
				destroyIfMade(name);
				tx.executeWithoutResult(status -> ves.findById(ve.get().getId()).ifPresent(ves::delete));
				progress.finish(jobId, true, "done (finished by another panel instance)");
			}
			case "stop" -> {
				// a stop is what it ends in: done again only when the VE still runs
				if (engine.status(name).state() != VeState.STOPPED) {
					engine.stop(name, STOP_TIMEOUT);
				}
				progress.finish(jobId, true, "stopped (finished by another panel instance)");
			}
			case "restart" -> {
				// stopped: the restart got as far as its stop; running: it got through, or never began (not done twice)
				if (engine.status(name).state() == VeState.STOPPED) {
					engine.start(name);
				}
				progress.finish(jobId, true, "running (finished by another panel instance)");
			}
			default -> progress.finish(jobId, false, "interrupted when the panel instance running it ended; the VE is"
					+ " shown as it is");
		}
	}

	/** Whether the node has the VE; a node that does not answer fails the settling, which is tried again later. */
	private boolean exists(String name) {
		try {
			engine.status(name);
			return true;
		}
		catch (EngineException.Unreachable ex) {
			throw ex;
		}
		catch (EngineException.NotFound ex) {
			return false;
		}
	}

	private void destroyIfMade(String name) {
		try {
			engine.destroy(name);
		}
		catch (EngineException.NotFound ex) {
			// never made
		}
	}
}
