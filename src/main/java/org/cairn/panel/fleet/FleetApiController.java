// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet's API: admins add and list nodes ({@code /api/v1/admin/nodes}); a node joins with its token
 * ({@code POST /api/v1/fleet/join}, the token its only credential).
 */
@RestController
class FleetApiController {

	private final FleetNodes nodes;

	FleetApiController(FleetNodes nodes) {
		this.nodes = nodes;
	}

	record NodeForm(@Nullable String name, @Nullable String address) {
	}

	record JoinRequest(@Nullable String token, @Nullable String csr) {
	}

	@GetMapping("/api/v1/admin/nodes")
	List<FleetNode> list() {
		return nodes.all();
	}

	@PostMapping("/api/v1/admin/nodes")
	ResponseEntity<FleetNodes.AddedNode> add(@RequestBody NodeForm form) {
		FleetNodes.AddedNode added = nodes.add(form.name(), form.address());
		return ResponseEntity.created(URI.create("/api/v1/admin/nodes/" + added.node().id())).body(added);
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
