// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeBackups;
import org.cairn.engine.VeEngine;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
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

	@Scheduled(initialDelayString = "${cairn.backup.check-every:PT1M}", fixedDelayString = "${cairn.backup.check-every:PT1M}")
	void everyMinute() {
		try {
			run(ZonedDateTime.now());
		}
		catch (RuntimeException ex) {
			log.warn("Scheduled backups: {}", ex.getMessage());
		}
	}

	/** Brings the engine's schedules in line with the plans, then takes the backups due at {@code now}. */
	List<VeBackups.ScheduledBackup> run(ZonedDateTime now) {
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
		List<VeBackups.ScheduledBackup> done = engine.backups().runScheduled(now);
		for (VeBackups.ScheduledBackup backup : done) {
			Plan plan = plans.get(backup.ve());
			if (backup.snapshot() == null) {
				log.warn("The scheduled backup of {} failed: {}", backup.ve(), backup.error());
			}
			else if (plan != null && plan.getBackupsKept() > 0) {
				try {
					engine.backups().forget(backup.ve(), new RetentionPolicy(plan.getBackupsKept(), 0, 0));
				}
				catch (EngineException ex) {
					log.warn("Forgetting old backups of {} failed: {}", backup.ve(), ex.getMessage());
				}
			}
		}
		return done;
	}
}
