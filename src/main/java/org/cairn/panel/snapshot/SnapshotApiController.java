// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import java.net.URI;
import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.VeManagement;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A customer's VE snapshots through the API; taking, rolling back and deleting answer 202 with their job. */
@RestController
class SnapshotApiController {

	private final SnapshotDesk desk;

	private final VeManagement ves;

	SnapshotApiController(SnapshotDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/api/v1/ves/{veId}/snapshots")
	List<SnapshotView> list(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return desk.list(ves.owned(user.id(), veId));
	}

	@PostMapping("/api/v1/ves/{veId}/snapshots")
	ResponseEntity<JobView> create(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) SnapshotForm form) {
		return accepted(desk.create(ves.owned(user.id(), veId), form == null ? new SnapshotForm(null, null) : form));
	}

	@PostMapping("/api/v1/ves/{veId}/snapshots/{name}/rollback")
	ResponseEntity<JobView> rollback(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String name, @RequestBody(required = false) SnapshotForm form) {
		return accepted(desk.rollback(ves.owned(user.id(), veId), name, form == null ? new SnapshotForm(null, null) : form));
	}

	@DeleteMapping("/api/v1/ves/{veId}/snapshots/{name}")
	ResponseEntity<JobView> delete(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String name) {
		return accepted(desk.delete(ves.owned(user.id(), veId), name));
	}

	private static ResponseEntity<JobView> accepted(JobView job) {
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}
}
