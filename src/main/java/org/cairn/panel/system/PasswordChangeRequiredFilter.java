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

/** A user signed in with a one-time password sees only the password form until they choose their own. */
class PasswordChangeRequiredFilter extends OncePerRequestFilter {

	static final String PASSWORD_PAGE = "/account/password";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user
				&& user.passwordChangeRequired() && !path.equals(PASSWORD_PAGE) && !path.equals("/logout")
				&& !path.startsWith("/css/") && !path.startsWith("/js/") && !path.equals("/error")) {
			response.sendRedirect(request.getContextPath() + PASSWORD_PAGE);
			return;
		}
		chain.doFilter(request, response);
	}
}
