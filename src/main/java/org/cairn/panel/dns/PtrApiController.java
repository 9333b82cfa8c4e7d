// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.ve.VeManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A customer's PTR records through the API: {@code PUT /api/v1/ves/{id}/ptr/{address}} with {@code {"name":...}}. */
@RestController
class PtrApiController {

	private final PtrDesk desk;

	private final VeManagement ves;

	PtrApiController(PtrDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	record PtrForm(@Nullable String name) {
	}

	@GetMapping("/api/v1/ves/{veId}/ptr")
	List<PtrView> list(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return desk.list(ves.owned(user.id(), veId));
	}

	@PutMapping("/api/v1/ves/{veId}/ptr/{address}")
	PtrView set(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String address,
			@RequestBody(required = false) @Nullable PtrForm form) {
		return desk.set(ves.owned(user.id(), veId), address, form == null ? null : form.name());
	}

	@DeleteMapping("/api/v1/ves/{veId}/ptr/{address}")
	ResponseEntity<Void> clear(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@PathVariable String address) {
		desk.clear(ves.owned(user.id(), veId), address);
		return ResponseEntity.noContent().build();
	}
}
