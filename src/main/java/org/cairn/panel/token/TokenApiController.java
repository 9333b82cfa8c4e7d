// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Personal API tokens: {@code POST /api/v1/tokens} (also with HTTP Basic: the user's name and password, on this
 * path only) answers the secret once; {@code GET} lists, {@code DELETE /api/v1/tokens/{id}} revokes.
 */
@RestController
class TokenApiController {

	record TokenRequest(@Nullable String name, @Nullable Integer days) {
	}

	private final ApiTokens tokens;

	private final ApplicationEventPublisher events;

	TokenApiController(ApiTokens tokens, ApplicationEventPublisher events) {
		this.tokens = tokens;
		this.events = events;
	}

	@PostMapping("/api/v1/tokens")
	ResponseEntity<?> create(@AuthenticationPrincipal SignedInUser user, @RequestBody TokenRequest request,
			HttpServletRequest http) {
		if (http.getAttribute(BearerTokenFilter.BY_TOKEN) != null) {
			// a stolen token must not outlive its revocation through tokens it made
			events.publishEvent(AuditedAction.failure("TOKEN_CREATE", "user:" + user.getUsername(),
					"asked with the token " + http.getAttribute(BearerTokenFilter.BY_TOKEN)).withActor(user.getUsername()));
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
					"A token cannot make another token: ask with your password (HTTP Basic) or from a signed-in session."));
		}
		CreatedToken created = tokens.create(user.id(), user.getUsername(), request.name(),
				request.days() == null ? 90 : request.days());
		return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.token().id())).body(created);
	}

	@GetMapping("/api/v1/tokens")
	List<ApiToken> list(@AuthenticationPrincipal SignedInUser user) {
		return tokens.of(user.id());
	}

	@DeleteMapping("/api/v1/tokens/{tokenId}")
	ResponseEntity<Void> revoke(@AuthenticationPrincipal SignedInUser user, @PathVariable long tokenId) {
		tokens.revoke(user.id(), user.getUsername(), tokenId);
		return ResponseEntity.noContent().build();
	}
}
