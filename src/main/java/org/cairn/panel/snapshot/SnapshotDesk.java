// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeSnapshots;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * A VE's snapshots for its owner: take, list, roll back, delete, as jobs audited with their outcome. The plan
 * says how many a VE keeps; they are kept on the VE's own disk, where they count against its quota.
 */
@Service
public class SnapshotDesk {

	private final VeEngine engine;

	private final VeManagement ves;

	private final PlanCatalog plans;

	SnapshotDesk(@Lazy VeEngine engine, VeManagement ves, PlanCatalog plans) {
		this.engine = engine;
		this.ves = ves;
		this.plans = plans;
	}

	/** The VE's snapshots, oldest first. */
	public List<SnapshotView> list(Ve ve) {
		return engine.snapshots().list(ve.getEngineName()).stream().map(SnapshotView::of).toList();
	}

	/** How many snapshots the VE's plan lets it keep. */
	public int allowance(Ve ve) {
		return plans.get(ve.getPlanId()).getSnapshotsKept();
	}

	public JobView create(Ve ve, SnapshotForm form) {
		ves.ready(ve);
		String name = form.name() == null ? "" : form.name().strip();
		try {
			VeSnapshots.checkName(name);
		}
		catch (RuntimeException ex) {
			throw new SnapshotException("name", "use up to 40 letters, digits, '.', '_' or '-', such as before-upgrade");
		}
		int allowed = allowance(ve);
		if (allowed == 0) {
			throw new SnapshotException("name", "the plan of " + ve.getHostname() + " includes no snapshots");
		}
		List<SnapshotView> existing = list(ve);
		if (existing.stream().anyMatch(s -> s.name().equals(name))) {
			throw new SnapshotException("name", ve.getHostname() + " has a snapshot named " + name);
		}
		if (existing.size() >= allowed) {
			throw new SnapshotException("name", "the plan keeps " + allowed + " snapshot" + (allowed == 1 ? "" : "s")
					+ " per VE; delete one first");
		}
		return ves.backgroundAudited(ve, "snapshot", "SNAPSHOT_CREATE", "ve:" + ve.getHostname() + " " + name,
				() -> engine.snapshots().create(ve.getEngineName(), name));
	}

	/** Puts the snapshot's files back once the owner typed the VE's host name; what changed since is lost. */
	public JobView rollback(Ve ve, String name, SnapshotForm form) {
		ves.ready(ve);
		String found = existing(ve, name);
		if (form.confirmation() == null || !form.confirmation().strip().equals(ve.getHostname())) {
			throw new SnapshotException("confirmation", "type the VE's host name, " + ve.getHostname()
					+ ", to confirm: every file changed since the snapshot is lost");
		}
		return ves.backgroundAudited(ve, "rollback", "SNAPSHOT_ROLLBACK", "ve:" + ve.getHostname() + " " + found,
				() -> engine.snapshots().rollback(ve.getEngineName(), found));
	}

	public JobView delete(Ve ve, String name) {
		ves.ready(ve);
		String found = existing(ve, name);
		return ves.backgroundAudited(ve, "snapshot-delete", "SNAPSHOT_DELETE", "ve:" + ve.getHostname() + " " + found,
				() -> engine.snapshots().delete(ve.getEngineName(), found));
	}

	private String existing(Ve ve, String name) {
		return list(ve).stream().map(SnapshotView::name).filter(n -> n.equals(name)).findFirst()
			.orElseThrow(() -> new SnapshotNotFoundException(ve.getHostname(), name));
	}
}
