// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer cairn_...} on the API: the token's owner, unless the token is unknown, revoked
 * or expired, or its owner suspended (401 then, never anonymous). A token's request that changes something
 * is audited with the token's prefix. Nothing is kept in a session.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	private static final SecurityContextRepository REQUEST_ONLY = new RequestAttributeSecurityContextRepository();

	/** Set on a request signed in by a token (to the token's prefix): some things need the password itself. */
	public static final String BY_TOKEN = BearerTokenFilter.class.getName() + ".token";

	private final ApiTokens tokens;

	private final AccountManagement accounts;

	private final ApplicationEventPublisher events;

	private final Rejection rejection;

	/** How a refused token is answered (the API's problem document). */
	public interface Rejection {

		void reject(HttpServletResponse response, String detail) throws IOException;
	}

	public BearerTokenFilter(ApiTokens tokens, AccountManagement accounts, ApplicationEventPublisher events,
			Rejection rejection) {
		this.tokens = tokens;
		this.accounts = accounts;
		this.events = events;
		this.rejection = rejection;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			chain.doFilter(request, response);
			return;
		}
		String secret = header.substring(7).strip();
		Optional<SignedInUser> user = tokens.owner(secret).flatMap(accounts::principal).filter(SignedInUser::isEnabled);
		if (user.isEmpty()) {
			rejection.reject(response, "This API token is unknown, revoked or expired, or its owner is suspended.");
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user.get(), null,
				user.get().getAuthorities()));
		SecurityContextHolder.setContext(context);
		// kept for this request only: the session machinery then sees nothing new to make a session for
		REQUEST_ONLY.saveContext(context, request, response);
		request.setAttribute(BY_TOKEN, secret.substring(0, Math.min(12, secret.length())));
		try {
			chain.doFilter(request, response);
			if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
				events.publishEvent(new AuditedAction(user.get().getUsername(), "API_TOKEN_USE",
						"token:" + secret.substring(0, Math.min(12, secret.length())),
						response.getStatus() < 400 ? Outcome.SUCCESS : Outcome.FAILURE,
						request.getMethod() + " " + request.getRequestURI() + " -> " + response.getStatus()));
			}
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}
}
