// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.util.Map;

import org.cairn.panel.account.ThrottledAuthenticationProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.SessionManagementConfigurer;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Who may reach what. Two chains: {@code /api/**} answers 401/403 as JSON; every page redirects an anonymous
 * visitor to the sign-in form. The one {@link ThrottledAuthenticationProvider} bean is the global
 * authentication manager's provider; the chains must not add it again, or a failure would count twice.
 * Sessions are tracked so that suspending a user ends theirs.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String[] PUBLIC = { "/login", "/css/**", "/js/**", "/favicon.ico", "/error",
			"/actuator/health", "/actuator/health/**" };

	@Bean
	PasswordEncoder passwordEncoder() {
		// argon2 for new hashes; bcrypt kept readable so that hashes imported from elsewhere still verify
		return new DelegatingPasswordEncoder("argon2", Map.of("argon2",
				Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), "bcrypt", new BCryptPasswordEncoder()));
	}

	@Bean
	SessionRegistry sessionRegistry() {
		return new SessionRegistryImpl();
	}

	@Bean
	HttpSessionEventPublisher httpSessionEventPublisher() {
		return new HttpSessionEventPublisher();
	}

	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, SessionRegistry sessions) {
		http.securityMatcher("/api/**")
			.authorizeHttpRequests(requests -> requests.requestMatchers("/api/v1/admin/**")
				.hasRole("ADMIN")
				.requestMatchers("/api/v1/ves/**", "/api/v1/ves", "/api/v1/jobs/**")
				.hasRole("CUSTOMER")
				.anyRequest()
				.authenticated())
			.sessionManagement(session -> trackSessions(session, sessions))
			// an API client is not sent back to a page after signing in
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, ex) -> ProblemResponses.write(response,
						HttpStatus.UNAUTHORIZED, "Sign in first: this API needs an authenticated session or token."))
				.accessDeniedHandler((request, response, ex) -> ProblemResponses.write(response, HttpStatus.FORBIDDEN,
						"Your role may not use this part of the API.")));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain pages(HttpSecurity http, SessionRegistry sessions,
			SignInHandlers handlers) {
		http.authorizeHttpRequests(requests -> requests.requestMatchers(PUBLIC)
			.permitAll()
			.requestMatchers("/admin/**", "/actuator/**")
			.hasRole("ADMIN")
			.requestMatchers("/support/**")
			.hasAnyRole("SUPPORT", "ADMIN")
			.requestMatchers("/customer/**")
			.hasRole("CUSTOMER")
			.anyRequest()
			.authenticated())
			.formLogin(form -> form.loginPage("/login")
				.successHandler(handlers::onSuccess)
				.failureHandler(handlers::onFailure)
				.permitAll())
			.logout(logout -> logout.logoutUrl("/logout")
				.logoutSuccessUrl("/login?signedOut")
				.addLogoutHandler(handlers::onLogout))
			.sessionManagement(session -> trackSessions(session, sessions))
			.headers(Customizer.withDefaults())
			.addFilterAfter(new PasswordChangeRequiredFilter(), AuthorizationFilter.class);
		return http.build();
	}

	private static void trackSessions(SessionManagementConfigurer<HttpSecurity> session, SessionRegistry sessions) {
		session.sessionFixation(fixation -> fixation.changeSessionId())
			.maximumSessions(-1)
			.sessionRegistry(sessions)
			.expiredUrl("/login?expired");
	}
}
