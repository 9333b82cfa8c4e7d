// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet's API: admins add, list, drain and remove nodes ({@code /api/v1/admin/nodes}); a node joins with its token
 * ({@code POST /api/v1/fleet/join}, the token its only credential).
 */
@RestController
class FleetApiController {

	private final FleetNodes nodes;

	private final NodeCheckpoints checkpoints;

	FleetApiController(FleetNodes nodes, NodeCheckpoints checkpoints) {
		this.nodes = nodes;
		this.checkpoints = checkpoints;
	}

	record NodeForm(@Nullable String name, @Nullable String address, @Nullable String group) {
	}

	record GroupForm(@Nullable String group) {
	}

	record JoinRequest(@Nullable String token, @Nullable String csr) {
	}

	@GetMapping("/api/v1/admin/nodes")
	List<FleetNode> list() {
		return nodes.all();
	}

	@PostMapping("/api/v1/admin/nodes")
	ResponseEntity<FleetNodes.AddedNode> add(@RequestBody NodeForm form) {
		FleetNodes.AddedNode added = nodes.add(form.name(), form.address(), form.group());
		return ResponseEntity.created(URI.create("/api/v1/admin/nodes/" + added.node().id())).body(added);
	}

	record StateForm(@Nullable String state) {
	}

	@PostMapping("/api/v1/admin/nodes/{id}/state")
	FleetNode setState(@PathVariable long id, @RequestBody StateForm form) {
		return nodes.setState(id, form.state());
	}

	@PostMapping("/api/v1/admin/nodes/{id}/group")
	FleetNode setGroup(@PathVariable long id, @RequestBody GroupForm form) {
		return nodes.setGroup(id, form.group());
	}

	@PostMapping("/api/v1/admin/nodes/{id}/rotate")
	FleetNode rotate(@PathVariable long id) {
		return nodes.rotate(id);
	}

	/** Before the node's reboot: every running VE saved by a checkpoint (and stopped). */
	@PostMapping("/api/v1/admin/nodes/{id}/checkpoint-all")
	org.cairn.engine.VeCheckpoints.Outcome checkpointAll(@PathVariable long id, org.springframework.security.core.Authentication who) {
		return checkpoints.checkpointAll(id, who.getName());
	}

	/** After it: every VE with a checkpoint restored. */
	@PostMapping("/api/v1/admin/nodes/{id}/restore-all")
	org.cairn.engine.VeCheckpoints.Outcome restoreAll(@PathVariable long id, org.springframework.security.core.Authentication who) {
		return checkpoints.restoreAll(id, who.getName());
	}

	@DeleteMapping("/api/v1/admin/nodes/{id}")
	ResponseEntity<Void> remove(@PathVariable long id) {
		nodes.remove(id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/v1/fleet/join")
	FleetNodes.Joined join(@RequestBody JoinRequest request) {
		return nodes.join(request.token(), request.csr());
	}

	@ExceptionHandler(JoinRefusedException.class)
	ResponseEntity<ProblemDetail> refused(JoinRefusedException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage()));
	}
}
