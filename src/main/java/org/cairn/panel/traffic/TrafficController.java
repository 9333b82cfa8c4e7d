// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.Instant;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.ve.VeManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Traffic through the API: a customer's VE's current period; for billing systems any VE's period by name
 * ({@code ?period=2026-11}), and more traffic for a VE ({@code {"add":"100G"}}).
 */
@RestController
class TrafficController {

	private final TrafficMeter meter;

	private final VeManagement ves;

	TrafficController(TrafficMeter meter, VeManagement ves) {
		this.meter = meter;
		this.ves = ves;
	}

	@GetMapping("/api/v1/ves/{veId}/traffic")
	TrafficView own(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "period", required = false) @Nullable String period) {
		return meter.view(ves.owned(user.id(), veId).getId(), period, Instant.now());
	}

	@GetMapping("/api/v1/admin/ves/{veId}/traffic")
	TrafficView any(@PathVariable long veId, @RequestParam(name = "period", required = false) @Nullable String period) {
		return meter.view(veId, period, Instant.now());
	}

	record Addition(@Nullable String add) {
	}

	@PostMapping("/api/v1/admin/ves/{veId}/traffic")
	TrafficView add(@PathVariable long veId, @RequestBody Addition body) {
		long bytes;
		try {
			bytes = org.cairn.engine.ResourceLimits.parseSize("add", body.add() == null ? "" : body.add());
		}
		catch (RuntimeException ex) {
			throw new TrafficException("add", "a size such as 100G");
		}
		if (bytes <= 0) {
			throw new TrafficException("add", "a size such as 100G");
		}
		return meter.add(veId, bytes, Instant.now());
	}
}
