// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cairn.panel.account.SignedInUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A user signed in with a one-time password sees only the password form until they choose their own. In the
 * API, everything but {@code GET /api/v1/me} and the password change itself answers 403 (so no token can be
 * made with such a password).
 */
class PasswordChangeRequiredFilter extends OncePerRequestFilter {

	static final String PASSWORD_PAGE = "/account/password";

	static final String PASSWORD_API = "/api/v1/me/password";

	private final boolean api;

	private PasswordChangeRequiredFilter(boolean api) {
		this.api = api;
	}

	static PasswordChangeRequiredFilter forPages() {
		return new PasswordChangeRequiredFilter(false);
	}

	static PasswordChangeRequiredFilter forApi() {
		return new PasswordChangeRequiredFilter(true);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user
				&& user.passwordChangeRequired() && !allowed(path)) {
			if (api) {
				ProblemResponses.write(response, org.springframework.http.HttpStatus.FORBIDDEN, "Choose your own password"
						+ " first: this one was given to you once (PUT " + PASSWORD_API
						+ " with currentPassword and newPassword, or " + PASSWORD_PAGE + ").");
			}
			else {
				response.sendRedirect(request.getContextPath() + PASSWORD_PAGE);
			}
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean allowed(String path) {
		return api ? path.equals(PASSWORD_API) || path.equals("/api/v1/me")
				: path.equals(PASSWORD_PAGE) || path.equals("/logout") || path.startsWith("/css/")
						|| path.startsWith("/js/") || path.equals("/error");
	}
}
