// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.util.Map;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.ThrottledAuthenticationProvider;
import org.cairn.panel.token.ApiTokens;
import org.cairn.panel.token.BearerTokenFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.SessionManagementConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * Who may reach what. Four chains: {@code /api/v1/tokens} (HTTP Basic or a token, stateless), any other API
 * request carrying a token (stateless), the API with a session (both answer 401/403 as problem documents),
 * and the pages, which send an anonymous visitor to the sign-in form. The one {@link ThrottledAuthenticationProvider} bean is the global
 * authentication manager's provider; the chains must not add it again, or a failure would count twice.
 * Sessions are tracked so that suspending a user ends theirs.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final String[] PUBLIC = { "/login", "/css/**", "/js/**", "/favicon.ico", "/error",
			"/actuator/health", "/actuator/health/**" };

	/** The API's OpenAPI description: what it offers is no secret. */
	static final String[] API_DOCS = { "/api/docs", "/api/docs/**", "/api/docs.yaml" };

	@Bean
	PasswordEncoder passwordEncoder() {
		// argon2 for new hashes; bcrypt kept readable so that hashes imported from elsewhere still verify
		return new DelegatingPasswordEncoder("argon2", Map.of("argon2",
				Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), "bcrypt", new BCryptPasswordEncoder()));
	}

	/**
	 * Sessions live in PostgreSQL (Spring Session JDBC): every panel instance knows them all, and can end any. Tests
	 * that drive the pages through MockMvc sessions turn Spring Session off and get the in-memory registry.
	 */
	@Bean
	SessionRegistry sessionRegistry(ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions) {
		FindByIndexNameSessionRepository<? extends Session> shared = sessions.getIfAvailable();
		return shared == null ? new SessionRegistryImpl() : new SpringSessionBackedSessionRegistry<>(shared);
	}

	@Bean
	HttpSessionEventPublisher httpSessionEventPublisher() {
		return new HttpSessionEventPublisher();
	}

	/**
	 * A node's join: its one-time token, in the body, is its only credential (checked by the fleet's service);
	 * no session, no CSRF token, as the caller is {@code cairn node join}, never a browser.
	 */
	@Bean
	@Order(-1)
	SecurityFilterChain fleetJoin(HttpSecurity http) throws Exception {
		return http.securityMatcher("/api/v1/fleet/join")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * HTTP Basic (a user's name and password) is taken on this path only, to make a token; the path is
	 * stateless: Basic or a token, never a session, and no session is made.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain tokens(HttpSecurity http, BearerTokenFilter bearer) {
		http.securityMatcher("/api/v1/tokens", "/api/v1/tokens/**", PasswordChangeRequiredFilter.PASSWORD_API)
			.httpBasic(basic -> basic.authenticationEntryPoint(ApiSecurity::unauthorized));
		ApiSecurity.configure(http, bearer)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	/** A request with a token: the token is its credential, never a session, and no session is made. */
	@Bean
	@Order(1)
	SecurityFilterChain tokenRequests(HttpSecurity http, BearerTokenFilter bearer) {
		// Prometheus scrapes /actuator/prometheus with an admin's token
		http.securityMatcher(request -> (request.getRequestURI().startsWith(request.getContextPath() + "/api/")
				|| request.getRequestURI().equals(request.getContextPath() + "/actuator/prometheus"))
				&& request.getHeader("Authorization") != null);
		ApiSecurity.configure(http, bearer)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain api(HttpSecurity http, SessionRegistry sessions, BearerTokenFilter bearer) {
		http.securityMatcher("/api/**");
		return ApiSecurity.configure(http, bearer)
			.sessionManagement(session -> trackSessions(session, sessions))
			.build();
	}

	@Bean
	BearerTokenFilter bearerTokenFilter(ApiTokens tokens, AccountManagement accounts,
			ApplicationEventPublisher events) {
		return new BearerTokenFilter(tokens, accounts, events,
				(response, detail) -> ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, detail));
	}

	/** Keeps the bearer filter out of the servlet container's own chain: it runs in the API's chains only. */
	@Bean
	FilterRegistrationBean<BearerTokenFilter> bearerTokenFilterRegistration(BearerTokenFilter bearer) {
		FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(bearer);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	@Order(3)
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
			.addFilterAfter(PasswordChangeRequiredFilter.forPages(), AuthorizationFilter.class);
		return http.build();
	}

	static void trackSessions(SessionManagementConfigurer<HttpSecurity> session, SessionRegistry sessions) {
		session.sessionFixation(fixation -> fixation.changeSessionId())
			.maximumSessions(-1)
			.sessionRegistry(sessions)
			.expiredUrl("/login?expired");
	}
}
