// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.net.URI;
import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeUsage;
import org.cairn.panel.account.SignedInUser;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's VEs through the API: {@code /api/v1/ves} and {@code /api/v1/jobs}. Long operations answer 202
 * with their job; another customer's VE or job is 404, as one that does not exist.
 */
@RestController
class VeApiController {

	private final VeManagement management;

	private final VeEngine engine;

	private final org.cairn.panel.usage.UsageStore usage;

	VeApiController(VeManagement management, @Lazy VeEngine engine, org.cairn.panel.usage.UsageStore usage) {
		this.usage = usage;
		this.management = management;
		this.engine = engine;
	}

	@GetMapping("/api/v1/ves")
	List<VeSummary> list(@AuthenticationPrincipal SignedInUser user) {
		return management.of(user.id());
	}

	@PostMapping("/api/v1/ves")
	ResponseEntity<JobView> create(@AuthenticationPrincipal SignedInUser user, @RequestBody NewVeForm form) {
		JobView job = management.create(user.id(), form);
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}

	@GetMapping("/api/v1/ves/{veId}")
	VeSummary get(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return management.get(user.id(), veId);
	}

	@GetMapping("/api/v1/ves/{veId}/usage")
	VeUsage usage(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return engine.usage(management.engineName(user.id(), veId));
	}

	/** The VE's sampled usage over the last hour, day, week or month, for charts. */
	@GetMapping("/api/v1/ves/{veId}/usage/history")
	org.cairn.panel.usage.UsageHistory usageHistory(@AuthenticationPrincipal SignedInUser user,
			@PathVariable long veId, @RequestParam(name = "range", defaultValue = "hour") String range) {
		return usage.history(management.owned(user.id(), veId).getEngineName(), range);
	}

	@DeleteMapping("/api/v1/ves/{veId}")
	ResponseEntity<JobView> destroy(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "confirm", required = false) String confirm) {
		JobView job = management.destroy(user.id(), veId, confirm);
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}

	@PostMapping("/api/v1/ves/{veId}/actions/{action}")
	ResponseEntity<Object> act(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String action) {
		Object result = management.act(user.id(), veId, action);
		return result instanceof JobView job
				? ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job)
				: ResponseEntity.ok(result);
	}

	@PostMapping("/api/v1/ves/{veId}/actions/reinstall")
	ResponseEntity<JobView> reinstall(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) ReinstallForm form) {
		JobView job = management.reinstall(user.id(), veId, form == null ? new ReinstallForm(null, null, null, null) : form);
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}

	@PutMapping("/api/v1/ves/{veId}/root-access")
	ResponseEntity<JobView> rootAccess(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) RootAccessForm form) {
		JobView job = management.setRootAccess(user.id(), veId, form == null ? new RootAccessForm(null, null) : form);
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}

	@PutMapping("/api/v1/ves/{veId}/hostname")
	ResponseEntity<JobView> hostname(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) HostnameForm form) {
		JobView job = management.rename(user.id(), veId, form == null ? null : form.hostname());
		return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
	}

	@GetMapping("/api/v1/jobs/{jobId}")
	JobView job(@AuthenticationPrincipal SignedInUser user, @PathVariable long jobId) {
		return management.job(user.id(), jobId);
	}
}
