// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Duration;

import org.cairn.panel.PanelTest;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Repeated failed sign-ins are slowed down, then locked, per user name and per source address; the counts are in
 * the database, so every panel instance holds the same locks.
 */
class LoginLockoutTests extends PanelTest {

	private static final String PASSWORD = "Lockout-Test-Password-1";

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Autowired
	LoginSettings settings;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private MvcResult attempt(String user, String password, String address) throws Exception {
		return mvc.perform(post("/login").param("username", user).param("password", password).with(csrf()).with(request -> {
			request.setRemoteAddr(address);
			return request;
		})).andReturn();
	}

	private String loginPageAfter(MvcResult result) throws Exception {
		MockHttpSession session = (MockHttpSession) result.getRequest().getSession(false);
		return mvc.perform(get("/login").session(session)).andReturn().getResponse().getContentAsString();
	}

	@Test
	void userIsLockedAfterRepeatedFailuresEvenWithTheRightPassword() throws Exception {
		accounts.create(new NewUser("lock-user", "lock@example.com", Role.CUSTOMER, PASSWORD));
		// failures from different addresses, so that only the user name's count locks
		for (int i = 1; i <= 4; i++) {
			MvcResult result = attempt("lock-user", "wrong-password-" + i, "192.0.2." + i);
			assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login?error");
			assertThat(loginPageAfter(result)).contains("Wrong user name or password.");
		}
		MvcResult fifth = attempt("lock-user", "wrong-password-5", "192.0.2.5");
		assertThat(loginPageAfter(fifth)).contains("Sign-in is locked until").contains("UTC");

		MvcResult right = attempt("lock-user", PASSWORD, "192.0.2.6");
		assertThat(right.getResponse().getRedirectedUrl()).endsWith("/login?error");
		assertThat(loginPageAfter(right)).contains("Sign-in is locked until");

		// another panel instance, or this one restarted, holds the same lock
		LoginThrottle elsewhere = new LoginThrottle(settings, jdbc);
		assertThat(elsewhere.lockedUntil("Lock-User", "203.0.113.9")).isPresent();
		assertThat(elsewhere.lockedUntil("other-user", "203.0.113.9")).isEmpty();

		var locked = audit.find(new AuditFilter("lock-user", "LOGIN_LOCKED", null, null, null), 0);
		assertThat(locked.getContent()).hasSize(1);
		assertThat(locked.getContent().get(0).getDetail()).contains("locked until");
		var denied = audit.find(new AuditFilter("lock-user", "LOGIN", org.cairn.panel.audit.Outcome.DENIED, null, null), 0);
		assertThat(denied.getContent()).isNotEmpty();
	}

	@Test
	void failuresOnSeveralInstancesAtOnceAreAllCounted() throws Exception {
		LoginThrottle one = new LoginThrottle(settings, jdbc);
		LoginThrottle other = new LoginThrottle(settings, jdbc);
		try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
			for (int i = 0; i < 40; i++) {
				LoginThrottle instance = i % 2 == 0 ? one : other;
				String address = "198.51.100." + (100 + i);
				pool.submit(() -> instance.recordFailure("many-instances", address));
			}
		}
		assertThat(jdbc.sql("select count from login_failure where key = 'user:many-instances'").query(Integer.class)
			.single()).isEqualTo(40);
		assertThat(one.lockedUntil("many-instances", "203.0.113.10")).isPresent();
	}

	@Test
	void failuresBeyondTheThresholdAreSlowedDown() throws Exception {
		accounts.create(new NewUser("slow-user", "slow@example.com", Role.CUSTOMER, PASSWORD));
		for (int i = 1; i <= 3; i++) {
			attempt("slow-user", "wrong-password-" + i, "192.0.2.20" + i);
		}
		long start = System.nanoTime();
		attempt("slow-user", "wrong-password-4", "192.0.2.204");
		// the test settings slow the 4th failure by 50 ms (production: 1 s)
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void addressIsLockedAfterFailuresAcrossManyUserNames() throws Exception {
		accounts.create(new NewUser("addr-user", "addr@example.com", Role.CUSTOMER, PASSWORD));
		for (int i = 1; i <= 5; i++) {
			attempt("nobody-" + i, "wrong-password", "198.51.100.77");
		}
		MvcResult fromLockedAddress = attempt("addr-user", PASSWORD, "198.51.100.77");
		assertThat(loginPageAfter(fromLockedAddress)).contains("Sign-in is locked until");
		MvcResult fromElsewhere = attempt("addr-user", PASSWORD, "198.51.100.78");
		assertThat(fromElsewhere.getResponse().getRedirectedUrl()).endsWith("/customer");
	}
}
