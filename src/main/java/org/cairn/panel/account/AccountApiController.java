// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the caller is, for API clients checking their credentials. */
@RestController
class AccountApiController {

	record Me(long id, String username, Role role) {
	}

	@GetMapping("/api/v1/me")
	Me me(@AuthenticationPrincipal SignedInUser user) {
		return new Me(user.id(), user.getUsername(), user.role());
	}
}
