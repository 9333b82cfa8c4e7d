// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Plans for billing systems: {@code /api/v1/admin/plans}. The body of a create or update is the admin's form
 * as JSON (sizes such as "512M"); errors are RFC 9457 problems naming the field.
 */
@RestController
class PlanApiController {

	private final PlanCatalog catalog;

	PlanApiController(PlanCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/api/v1/admin/plans")
	List<PlanView> list() {
		return catalog.all().stream().map(plan -> PlanView.of(plan, catalog.holders(plan.getId()))).toList();
	}

	@GetMapping("/api/v1/admin/plans/{planId}")
	PlanView get(@PathVariable long planId) {
		return PlanView.of(catalog.get(planId), catalog.holders(planId));
	}

	@PostMapping("/api/v1/admin/plans")
	ResponseEntity<PlanView> create(@RequestBody PlanForm form) {
		Plan plan = catalog.create(form);
		return ResponseEntity.created(URI.create("/api/v1/admin/plans/" + plan.getId())).body(PlanView.of(plan, 0));
	}

	@PutMapping("/api/v1/admin/plans/{planId}")
	PlanView update(@PathVariable long planId, @RequestBody PlanForm form) {
		return PlanView.of(catalog.update(planId, form), catalog.holders(planId));
	}

	@PostMapping("/api/v1/admin/plans/{planId}/retire")
	PlanView retire(@PathVariable long planId) {
		return PlanView.of(catalog.retire(planId, true), catalog.holders(planId));
	}

	@DeleteMapping("/api/v1/admin/plans/{planId}")
	ResponseEntity<Void> delete(@PathVariable long planId) {
		catalog.delete(planId);
		return ResponseEntity.noContent().build();
	}
}
