// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** An admin's move of a VE to another node through the API: 202 with the job to follow. */
@RestController
class VeMoveApiController {

	/**
	 * {@code node}: the node's name, or {@code local} for the panel's own machine; {@code live}: a running VE moves
	 * with its processes (a checkpoint restored on the target) instead of a stop and a start.
	 */
	record MoveRequest(@Nullable String node, @Nullable Boolean live) {
	}

	private final VeMoves moves;

	private final VeManagement management;

	VeMoveApiController(VeMoves moves, VeManagement management) {
		this.moves = moves;
		this.management = management;
	}

	@PostMapping("/api/v1/admin/ves/{veId}/migrate")
	ResponseEntity<JobView> migrate(@PathVariable long veId, @RequestBody(required = false) @Nullable MoveRequest request,
			Authentication authentication) {
		JobView job = moves.move(veId, request == null ? null : request.node(), request != null && Boolean.TRUE.equals(request.live()),
				authentication.getName());
		return ResponseEntity.accepted().location(java.net.URI.create("/api/v1/admin/jobs/" + job.id())).body(job);
	}

	/** Any job, for admins: a move is a job of the VE's owner's. */
	@org.springframework.web.bind.annotation.GetMapping("/api/v1/admin/jobs/{jobId}")
	JobView job(@PathVariable long jobId) {
		return management.job(jobId);
	}
}
