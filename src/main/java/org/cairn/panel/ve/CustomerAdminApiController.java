// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Suspend, unsuspend and terminate customers, for billing systems: {@code /api/v1/admin/customers/{id}/...}. */
@RestController
class CustomerAdminApiController {

	private final CustomerLifecycle lifecycle;

	CustomerAdminApiController(CustomerLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@PostMapping("/api/v1/admin/customers/{id}/suspend")
	ResponseEntity<Void> suspend(@PathVariable long id, @AuthenticationPrincipal SignedInUser admin) {
		lifecycle.suspend(id, admin.getUsername());
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/v1/admin/customers/{id}/unsuspend")
	ResponseEntity<Void> unsuspend(@PathVariable long id) {
		lifecycle.unsuspend(id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/v1/admin/customers/{id}/terminate")
	ResponseEntity<List<JobView>> terminate(@PathVariable long id, @AuthenticationPrincipal SignedInUser admin,
			@RequestParam(name = "confirm", required = false) String confirm) {
		return ResponseEntity.accepted().body(lifecycle.terminate(id, admin.getUsername(), confirm));
	}
}
