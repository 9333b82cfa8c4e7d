// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * A VE's backups for its owner and for the support desk: list, back up now, browse, restore. The plan says how
 * many backups a VE keeps (none: no backups). Every restore is recorded; the support desk's with its reason,
 * which the VE's owner sees.
 */
@Service
public class BackupDesk {

	private static final int MAX_REASON = 1000;

	private final VeEngine engine;

	private final VeManagement ves;

	private final PlanCatalog plans;

	private final VeRestoreRepository restores;

	private final ApplicationEventPublisher events;

	BackupDesk(@Lazy VeEngine engine, VeManagement ves, PlanCatalog plans, VeRestoreRepository restores,
			ApplicationEventPublisher events) {
		this.engine = engine;
		this.ves = ves;
		this.plans = plans;
		this.restores = restores;
		this.events = events;
	}

	/** The VE's backups, newest first. */
	public List<Snapshot> list(Ve ve) {
		return engine.backups().list(ve.getEngineName()).stream()
			.sorted(Comparator.comparing(Snapshot::time).reversed())
			.toList();
	}

	/** Backs the VE up now, then forgets what its plan does not keep. */
	public JobView backUp(Ve ve) {
		ves.ready(ve);
		int kept = plans.get(ve.getPlanId()).getBackupsKept();
		if (kept <= 0) {
			throw new BackupException("ve", "the plan of " + ve.getHostname() + " includes no backups");
		}
		events.publishEvent(AuditedAction.success("BACKUP_CREATE", "ve:" + ve.getHostname()));
		return ves.background(ve, "backup", () -> {
			engine.backups().create(ve.getEngineName(), "manual");
			engine.backups().forget(ve.getEngineName(), new RetentionPolicy(kept, 0, 0));
		});
	}

	/** One folder of a backup, folders first. */
	public List<SnapshotEntry> files(Ve ve, String snapshot, String path) {
		ves.ready(ve);
		String folder = path == null || path.isBlank() ? "/" : path;
		try {
			return engine.backups().files(ve.getEngineName(), snapshot, folder).stream()
				.sorted(Comparator.comparing((SnapshotEntry e) -> !e.type().equals("dir")).thenComparing(SnapshotEntry::name))
				.toList();
		}
		catch (EngineException ex) {
			throw asInput(ex, "path", ve);
		}
	}

	/**
	 * Restores a file or folder (as a job), or the whole VE after its host name was typed. The support desk
	 * restores files and folders only, and says why.
	 */
	public JobView restore(Ve ve, String snapshot, RestoreForm form, SignedInUser actor, boolean bySupport) {
		ves.ready(ve);
		Snapshot found = snapshot(ve, snapshot);
		String reason = form.reason() == null ? null : form.reason().strip();
		if (bySupport && (reason == null || reason.isEmpty())) {
			throw new BackupException("reason", "say why you restore this; the customer sees it");
		}
		if (reason != null && reason.length() > MAX_REASON) {
			throw new BackupException("reason", "at most " + MAX_REASON + " characters");
		}
		if (form.isWhole()) {
			if (bySupport) {
				throw new BackupException("whole", "the support desk restores files and folders; the customer restores a whole VE");
			}
			if (form.confirmation() == null || !form.confirmation().strip().equals(ve.getHostname())) {
				throw new BackupException("confirmation",
						"type the VE's host name, " + ve.getHostname() + ", to confirm: every file changed since is lost");
			}
			return record(ve, found, "/", "/", reason, actor, bySupport, "restore-whole",
					() -> engine.backups().restoreWhole(ve.getEngineName(), found.id()));
		}
		String path = form.path() == null ? "" : form.path().strip();
		String to = form.to() == null || form.to().isBlank() ? null : form.to().strip();
		if (path.isEmpty() || !path.startsWith("/") || path.equals("/")) {
			throw new BackupException("path", "give the file or folder to restore, such as /etc/nginx");
		}
		if (to != null && !to.startsWith("/")) {
			throw new BackupException("to", "give a folder from the VE's root, such as /root/restored");
		}
		if (files(ve, found.id(), parent(path)).stream().noneMatch(e -> e.path().equals(path))) {
			throw new BackupException("path", path + " is not in the backup " + found.shortId());
		}
		String destination = to == null ? path : (to.equals("/") ? "" : to) + path.substring(path.lastIndexOf('/'));
		return record(ve, found, path, destination, reason, actor, bySupport, "restore",
				() -> engine.backups().restore(ve.getEngineName(), found.id(), path, to));
	}

	private JobView record(Ve ve, Snapshot snapshot, String path, String destination, String reason,
			SignedInUser actor, boolean bySupport, String kind, Runnable work) {
		JobView job = ves.background(ve, kind, work);
		restores.save(new VeRestore(ve.getId(), job.id(), snapshot.id(), path, destination, reason, actor.id(),
				actor.getUsername(), bySupport));
		events.publishEvent(new AuditedAction(null, bySupport ? "SUPPORT_RESTORE" : "BACKUP_RESTORE",
				"ve:" + ve.getHostname(), org.cairn.panel.audit.Outcome.SUCCESS,
				snapshot.shortId() + " " + path + " -> " + destination + (reason == null ? "" : " (" + reason + ")")));
		return job;
	}

	/** The VE's restores, newest first; {@code supportOnly}: those the support desk did. */
	public List<RestoreView> restores(Ve ve, boolean supportOnly) {
		List<VeRestore> found = supportOnly ? restores.findTop50ByVeIdAndBySupportTrueOrderByIdDesc(ve.getId())
				: restores.findTop50ByVeIdOrderByIdDesc(ve.getId());
		return found.stream().map(r -> {
			JobView job = ves.job(r.getJobId());
			return new RestoreView(r.getId(), r.getSnapshot().substring(0, Math.min(8, r.getSnapshot().length())),
					r.getPath(), r.getDestination(), r.getReason(), r.getActorName(), r.isBySupport(), r.getCreatedAt(),
					r.getJobId(), job.state(), job.error());
		}).toList();
	}

	/** The folder a path is in, "/" for one at the top. */
	static String parent(String path) {
		int slash = path.strip().lastIndexOf('/');
		return slash <= 0 ? "/" : path.strip().substring(0, slash);
	}

	private Snapshot snapshot(Ve ve, String id) {
		if (id == null || id.isBlank()) {
			throw new BackupException("snapshot", "choose one of the VE's backups");
		}
		return list(ve).stream().filter(s -> s.id().equals(id) || s.shortId().equals(id)).findFirst()
			.orElseThrow(() -> new BackupException("snapshot", "the VE has no backup " + id));
	}

	/** The plan's backup time and how many it keeps, per VE of the engine, for the scheduler. */
	Map<String, Plan> plansByEngineName(List<Ve> all) {
		Map<Long, Plan> byId = plans.all().stream().collect(Collectors.toMap(Plan::getId, Function.identity()));
		return all.stream().collect(Collectors.toMap(Ve::getEngineName, ve -> byId.get(ve.getPlanId())));
	}

	private static BackupException asInput(EngineException ex, String fallback, Ve ve) {
		String message = VeManagement.customerTerms(ex.getMessage(), ve);
		int colon = message.indexOf(": ");
		if (colon > 0 && message.substring(0, colon).matches("[a-z-]+")) {
			return new BackupException(message.substring(0, colon), message.substring(colon + 2));
		}
		return new BackupException(fallback, message);
	}
}
