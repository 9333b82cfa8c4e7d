// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.account.SignedInUser;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Addresses of a VE's prefixes on its link through the API: {@code {"address":"2001:db8:1:2::10"}}; the VE back. */
@RestController
class VeAddressApiController {

	private final VeAddresses addresses;

	private final VeManagement ves;

	VeAddressApiController(VeAddresses addresses, VeManagement ves) {
		this.addresses = addresses;
		this.ves = ves;
	}

	record AddressForm(@Nullable String address) {
	}

	@PostMapping("/api/v1/ves/{veId}/addresses")
	VeSummary add(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) @Nullable AddressForm form) {
		return addresses.add(ves.owned(user.id(), veId), form == null ? null : form.address());
	}

	@DeleteMapping("/api/v1/ves/{veId}/addresses/{address}")
	VeSummary remove(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String address) {
		return addresses.remove(ves.owned(user.id(), veId), address);
	}
}
