// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A job survives the panel instance that runs it. Its instance holds a lease on it in db-scheduler's table (an
 * execution of {@code job-watch} for the job, due a lease from now) and renews it while the job runs; the job's end
 * cancels it. When an instance dies (kill -9, a lost machine), its leases fall due and another instance settles
 * each job: a create is finished if its node made the VE, else rolled back; a destroy is done again; anything else
 * ends as failed, the VE shown as it is ({@link JobRecovery}). The work itself never runs twice.
 */
@Configuration(proxyBeanMethods = false)
public class JobLeases {

	private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

	static final String TASK = "job-watch";

	private final ObjectProvider<SchedulerClient> scheduler;

	private final Duration lease;

	private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("job-leases").daemon().factory());

	JobLeases(ObjectProvider<SchedulerClient> scheduler, @Value("${cairn.jobs.lease:PT30S}") Duration lease) {
		this.scheduler = scheduler;
		this.lease = lease;
	}

	/** The settling of a job whose instance is gone; tried again in a lease when it cannot be done now. */
	@Bean
	OneTimeTask<Void> jobWatchTask(JobRecovery recovery, @Value("${cairn.jobs.lease:PT30S}") Duration lease) {
		return Tasks.oneTime(TASK)
			.onFailure(new FailureHandler.OnFailureRetryLater<>(lease))
			.execute((instance, context) -> recovery.settle(Long.parseLong(instance.getId())));
	}

	/** A lease on job {@code jobId}, renewed until closed (when the job has ended, either way). */
	Lease take(long jobId) {
		TaskInstanceId id = TaskInstanceId.of(TASK, Long.toString(jobId));
		scheduler.getObject().schedule(new TaskInstance<Void>(TASK, Long.toString(jobId)), Instant.now().plus(lease));
		ScheduledFuture<?> renewing = renewals.scheduleWithFixedDelay(() -> {
			try {
				scheduler.getObject().reschedule(id, Instant.now().plus(lease));
			}
			catch (RuntimeException ex) {
				log.warn("Renewing the lease on job {}: {}", jobId, ex.getMessage());
			}
		}, lease.toMillis() / 3, lease.toMillis() / 3, TimeUnit.MILLISECONDS);
		return new Lease() {

			private volatile boolean handedOver;

			@Override
			public void handOver() {
				handedOver = true;
				renewing.cancel(false);
			}

			@Override
			public void close() {
				renewing.cancel(false);
				if (handedOver) {
					return;
				}
				try {
					scheduler.getObject().cancel(id);
				}
				catch (RuntimeException ex) {
					// already settled, or the database is away: the watch finds the job ended and does nothing
					log.debug("Ending the lease on job {}: {}", jobId, ex.getMessage());
				}
			}
		};
	}

	/** A job's lease: closed when the job has ended. */
	interface Lease extends AutoCloseable {

		/**
		 * Leaves the job to be settled ({@link JobRecovery}) once the lease falls due, and again each lease until it
		 * can be: for a job whose outcome only its node knows, and the node does not answer.
		 */
		void handOver();

		@Override
		void close();
	}
}
