// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start, brings the panel's records in line with the engine after a crash of the panel: a job that was
 * running ended with it; a VE caught in its creation is kept if the engine made it (and started if it did not run
 * yet) or forgotten if not; one caught in its destruction is forgotten if the engine no longer has it and destroyed
 * now otherwise. VEs the engine no longer has (destroyed from the command line) show as gone. A job under a lease
 * ({@link JobLeases}) is left alone: it is another instance's, alive, or its lease settles it when it falls due.
 */
@Component
class Reconciliation implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

	private final VeRepository ves;

	private final JobRepository jobs;

	private final VeEngine engine;

	private final TransactionTemplate tx;

	private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

	Reconciliation(VeRepository ves, JobRepository jobs, @Lazy VeEngine engine, TransactionTemplate tx,
			org.springframework.jdbc.core.simple.JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.ves = ves;
		this.jobs = jobs;
		this.engine = engine;
		this.tx = tx;
	}

	@Override
	public void run(ApplicationArguments args) {
		reconcile();
	}

	/** What {@link #run} does; public for the tests that crash the panel in their own way. */
	public void reconcile() {
		// a job under a lease (JobLeases) is another instance's, alive, or settled by the lease when it falls due
		java.util.Set<Long> leasedVes = new java.util.HashSet<>(jdbc.sql("""
				select j.ve_id from job j join scheduled_tasks t on t.task_name = ? and t.task_instance = j.id::text
				where j.state in ('QUEUED', 'RUNNING') and j.ve_id is not null""").param(JobLeases.TASK).query(Long.class).list());
		java.util.Set<Long> leasedJobs = new java.util.HashSet<>(jdbc.sql("""
				select j.id from job j join scheduled_tasks t on t.task_name = ? and t.task_instance = j.id::text
				where j.state in ('QUEUED', 'RUNNING')""").param(JobLeases.TASK).query(Long.class).list());
		List<Ve> unsettled = ves.findAllByOrderById().stream()
			.filter(ve -> ve.getStatus() != Ve.Status.READY && !leasedVes.contains(ve.getId()))
			// a move is settled by its job's watch (VeMoves), which knows on which node the VE is
			.filter(ve -> ve.getStatus() != Ve.Status.MOVING)
			.toList();
		for (Ve ve : unsettled) {
			Boolean exists = exists(ve);
			if (exists == null) {
				log.warn("The VE {} ({}) is on a node that does not answer; settled when it is back", ve.getHostname(),
						ve.getStatus());
				continue;
			}
			if (ve.getStatus() == Ve.Status.CREATING && exists) {
				try {
					if (engine.status(ve.getEngineName()).state() == VeState.STOPPED) {
						engine.start(ve.getEngineName());
					}
				}
				catch (EngineException ex) {
					log.warn("The VE {} was made but does not start: {}", ve.getEngineName(), ex.getMessage());
				}
				tx.executeWithoutResult(status -> ves.findById(ve.getId()).ifPresent(v -> v.setStatus(Ve.Status.READY)));
			}
			else if (ve.getStatus() == Ve.Status.DESTROYING && exists) {
				engine.destroy(ve.getEngineName());
				tx.executeWithoutResult(status -> ves.deleteById(ve.getId()));
			}
			else {
				// the engine never made it, or has already destroyed it: nothing of it is left to keep
				tx.executeWithoutResult(status -> ves.deleteById(ve.getId()));
			}
			log.info("Reconciled the VE {} ({}) after a restart", ve.getHostname(), ve.getStatus());
		}
		tx.executeWithoutResult(status -> jobs.findAll().stream()
			.filter(job -> job.getState() == Job.State.QUEUED || job.getState() == Job.State.RUNNING)
			.filter(job -> !leasedJobs.contains(job.getId()))
			.forEach(job -> job.failed("interrupted by a restart of the panel; the VE is shown as it truly is")));
	}

	/** Whether the engine has it; null when its node does not answer (never taken for "gone"). */
	private Boolean exists(Ve ve) {
		try {
			engine.status(ve.getEngineName());
			return true;
		}
		catch (EngineException.Unreachable ex) {
			return null;
		}
		catch (EngineException ex) {
			return false;
		}
	}
}
