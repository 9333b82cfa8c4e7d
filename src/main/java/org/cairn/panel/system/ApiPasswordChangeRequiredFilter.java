// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cairn.panel.account.SignedInUser;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API's side of the one-time password: until its holder chooses their own, the API answers 403 to
 * everything but {@code GET /api/v1/me} and the password change itself (no token can be made with it).
 */
class ApiPasswordChangeRequiredFilter extends OncePerRequestFilter {

	static final String PASSWORD_API = "/api/v1/me/password";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user
				&& user.passwordChangeRequired() && !path.equals(PASSWORD_API) && !path.equals("/api/v1/me")) {
			ProblemResponses.write(response, HttpStatus.FORBIDDEN, "Choose your own password first: this one was given"
					+ " to you once (PUT " + PASSWORD_API + " with currentPassword and newPassword, or /account/password).");
			return;
		}
		chain.doFilter(request, response);
	}
}
