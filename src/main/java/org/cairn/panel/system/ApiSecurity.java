// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cairn.panel.token.BearerTokenFilter;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * What the API's chains share: who may reach which part (admins /api/v1/admin, customers their VEs and jobs),
 * sessions or bearer tokens, 401/403 as problem documents, and CSRF checks for session requests only: a request
 * carrying its own Authorization header cannot be forged by another site.
 */
final class ApiSecurity {

	private ApiSecurity() {
	}

	static HttpSecurity configure(HttpSecurity http, BearerTokenFilter bearer) {
		return http
			.authorizeHttpRequests(requests -> requests.requestMatchers(SecurityConfiguration.API_DOCS)
				.permitAll()
				.requestMatchers("/api/v1/admin/**", "/actuator/**")
				.hasRole("ADMIN")
				.requestMatchers("/api/v1/ves/**", "/api/v1/ves", "/api/v1/jobs/**")
				.hasRole("CUSTOMER")
				.requestMatchers("/api/v1/support/**")
				.hasAnyRole("SUPPORT", "ADMIN")
				.anyRequest()
				.authenticated())
			.addFilterBefore(bearer, BasicAuthenticationFilter.class)
			.addFilterAfter(PasswordChangeRequiredFilter.forApi(), AuthorizationFilter.class)
			.csrf(csrf -> csrf.ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
			// an API client is not sent back to a page after signing in
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors.authenticationEntryPoint(ApiSecurity::unauthorized)
				.accessDeniedHandler((request, response, ex) -> ProblemResponses.write(response, HttpStatus.FORBIDDEN,
						"Your role may not use this part of the API.")));
	}

	static void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		// credentials that could not be checked because the database is away are not wrong credentials
		if (ex instanceof org.springframework.security.authentication.InternalAuthenticationServiceException
				&& DatabaseOutage.isCause(ex)) {
			ProblemResponses.unavailable(response);
			return;
		}
		ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
				"Sign in first: this API needs an authenticated session or an API token (Authorization: Bearer).");
	}
}
