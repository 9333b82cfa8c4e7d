// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.net.URI;
import java.util.List;

import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.VeManagement;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A customer's VE backups through the API; backing up and restoring answer 202 with their job. */
@RestController
class BackupApiController {

	private final BackupDesk desk;

	private final VeManagement ves;

	BackupApiController(BackupDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/api/v1/ves/{veId}/backups")
	List<Snapshot> list(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return desk.list(ves.owned(user.id(), veId));
	}

	@PostMapping("/api/v1/ves/{veId}/backups")
	ResponseEntity<JobView> backUp(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return accepted(desk.backUp(ves.owned(user.id(), veId)));
	}

	@GetMapping("/api/v1/ves/{veId}/backups/{snapshot}/files")
	List<SnapshotEntry> files(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String snapshot, @RequestParam(name = "path", defaultValue = "/") String path) {
		return desk.files(ves.owned(user.id(), veId), snapshot, path);
	}

	@PostMapping("/api/v1/ves/{veId}/backups/{snapshot}/restore")
	ResponseEntity<JobView> restore(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String snapshot, @RequestBody(required = false) RestoreForm form) {
		RestoreForm request = form == null ? new RestoreForm(null, null, null, null, null) : form;
		return accepted(desk.restore(ves.owned(user.id(), veId), snapshot, request, user, false));
	}

	/** Every restore of the VE, the support desk's with their reasons. */
	@GetMapping("/api/v1/ves/{veId}/restores")
	List<RestoreView> restores(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return desk.restores(ves.owned(user.id(), veId), false);
	}

	private static ResponseEntity<JobView> accepted(JobView job) {
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}
}
