// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the caller is, for API clients checking their credentials, and {@code PUT /api/v1/me/password}: a new
 * password (also with HTTP Basic, so that an API-only user with a one-time password can choose their own). The
 * user's API tokens end with the old password unless {@code keepTokens}; so do their sessions.
 */
@RestController
class AccountApiController {

	record Me(long id, String username, Role role, boolean passwordChangeRequired) {
	}

	record PasswordRequest(@Nullable String currentPassword, @Nullable String newPassword, @Nullable Boolean keepTokens) {
	}

	private final AccountManagement accounts;

	AccountApiController(AccountManagement accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/api/v1/me")
	Me me(@AuthenticationPrincipal SignedInUser user) {
		return new Me(user.id(), user.getUsername(), user.role(), user.passwordChangeRequired());
	}

	@PutMapping("/api/v1/me/password")
	ResponseEntity<Void> changePassword(@AuthenticationPrincipal SignedInUser user, @RequestBody PasswordRequest request,
			HttpServletRequest http) {
		if (request.newPassword() == null || request.newPassword().isEmpty()) {
			throw new AccountException("newPassword", "give the new password");
		}
		accounts.changeOwnPassword(user.getUsername(), request.currentPassword(), request.newPassword(),
				Boolean.TRUE.equals(request.keepTokens()), http.getRequestedSessionId());
		return ResponseEntity.noContent().build();
	}
}
