// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.engine.EngineException;
import org.cairn.engine.VeBackups;
import org.cairn.engine.VeEngine;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.system.ClusterScheduler;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Each VE's daily backup at its plan's time, keeping as many as its plan says. The engine keeps the schedule
 * (so that the CLI sees it too); this brings it in line with the plans every minute, then takes what is due.
 */
@Component
class BackupScheduler {

	private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);

	private final VeEngine engine;

	private final VeManagement ves;

	private final BackupDesk desk;

	BackupScheduler(@Lazy VeEngine engine, VeManagement ves, BackupDesk desk) {
		this.engine = engine;
		this.ves = ves;
		this.desk = desk;
	}

	/** Each VE's scheduled backup runs on a thread of its own: a backup that takes hours delays no other. */
	private final ExecutorService backups = Executors.newVirtualThreadPerTaskExecutor();

	/** The VEs whose scheduled backup runs now, so that none is started twice. */
	private final Set<String> running = ConcurrentHashMap.newKeySet();

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> everyMinuteTask(
			@Value("${cairn.backup.check-every:PT1M}") Duration every) {
		return ClusterScheduler.every("scheduled-backups", every, this::everyMinute);
	}

	void everyMinute() {
		try {
			dispatch(ZonedDateTime.now());
		}
		catch (RuntimeException ex) {
			log.warn("Scheduled backups: {}", ex.getMessage());
		}
	}

	/** Brings the engine's schedules in line with the plans, then takes the backups due at {@code now} and waits for them. */
	List<VeBackups.ScheduledBackup> run(ZonedDateTime now) {
		List<VeBackups.ScheduledBackup> done = new ArrayList<>();
		for (Future<VeBackups.ScheduledBackup> backup : dispatch(now)) {
			try {
				done.add(backup.get());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (ExecutionException ex) {
				log.warn("A scheduled backup failed: {}", ex.getCause().getMessage());
			}
		}
		return done;
	}

	/** As {@link #run}, without waiting: each due VE's backup, then its retention, runs on its own thread. */
	List<Future<VeBackups.ScheduledBackup>> dispatch(ZonedDateTime now) {
		List<Ve> ready = ves.all().stream().filter(ve -> ve.getStatus() == Ve.Status.READY).toList();
		Map<String, Plan> plans = desk.plansByEngineName(ready);
		Map<String, LocalTime> current = engine.backups().schedules();
		for (Ve ve : ready) {
			Plan plan = plans.get(ve.getEngineName());
			LocalTime wanted = plan.getBackupsKept() > 0 ? plan.getBackupTime() : null;
			if (!Objects.equals(current.get(ve.getEngineName()), wanted)) {
				engine.backups().schedule(ve.getEngineName(), wanted);
			}
		}
		List<Future<VeBackups.ScheduledBackup>> started = new ArrayList<>();
		for (String name : engine.backups().takeDue(now)) {
			if (!running.add(name)) {
				continue;
			}
			started.add(backups.submit(() -> {
				try {
					return backUp(name, plans.get(name));
				}
				finally {
					running.remove(name);
				}
			}));
		}
		return started;
	}

	private VeBackups.ScheduledBackup backUp(String name, Plan plan) {
		VeBackups.ScheduledBackup backup = engine.backups().runScheduled(name);
		if (backup.snapshot() == null) {
			log.warn("The scheduled backup of {} failed: {}", name, backup.error());
		}
		else if (plan != null && plan.getBackupsKept() > 0) {
			try {
				engine.backups().forget(name, new RetentionPolicy(plan.getBackupsKept(), 0, 0));
			}
			catch (EngineException ex) {
				log.warn("Forgetting old backups of {} failed: {}", name, ex.getMessage());
			}
		}
		return backup;
	}
}
