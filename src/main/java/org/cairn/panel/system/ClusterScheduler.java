// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Work that must run once however many panel instances serve the database: db-scheduler, on its table in
 * PostgreSQL (V18). Each execution is picked by one instance, which heartbeats while it runs; when an instance dies,
 * another takes its executions over once the heartbeats stop. A feature declares its recurring work as a
 * {@link RecurringTask} bean ({@link #every}); the scheduler starts once the panel is ready, and stops with it.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterScheduler {

	/** Recurring work: {@code work} every {@code delay} after the last run ended, on one instance at a time. */
	public static RecurringTask<Void> every(String name, Duration delay, Runnable work) {
		return Tasks.recurring(name, FixedDelay.of(delay)).execute((instance, context) -> work.run());
	}

	@Bean
	Scheduler scheduler(DataSource dataSource, List<Task<?>> tasks,
			@Value("${cairn.scheduler.poll-every:PT1S}") Duration pollEvery,
			@Value("${cairn.scheduler.heartbeat-every:PT5S}") Duration heartbeatEvery,
			@Value("${cairn.scheduler.threads:8}") int threads) {
		List<RecurringTask<?>> recurring = tasks.stream()
			.filter(RecurringTask.class::isInstance)
			.<RecurringTask<?>>map(task -> (RecurringTask<?>) task)
			.toList();
		List<Task<?>> others = tasks.stream().filter(task -> !(task instanceof RecurringTask)).toList();
		return Scheduler.create(dataSource, others)
			.startTasks(recurring)
			.schedulerName(new SchedulerName.Fixed(instanceName()))
			.pollingInterval(pollEvery)
			.heartbeatInterval(heartbeatEvery)
			.threads(threads)
			.enableImmediateExecution()
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	@Bean
	SchedulerLifecycle schedulerLifecycle(Scheduler scheduler) {
		return new SchedulerLifecycle(scheduler);
	}

	/** Starts the scheduler when the panel is ready (its tables migrated, its beans made); stops it at close. */
	static final class SchedulerLifecycle implements AutoCloseable {

		private final Scheduler scheduler;

		SchedulerLifecycle(Scheduler scheduler) {
			this.scheduler = scheduler;
		}

		@EventListener(ApplicationReadyEvent.class)
		void start() {
			scheduler.start();
		}

		@Override
		public void close() {
			scheduler.stop();
		}
	}

	/** host:pid, as the scheduler's table shows who picked what. */
	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "localhost";
		}
		return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
				+ Long.toString(System.nanoTime() & 0xffffff, 36);
	}
}
