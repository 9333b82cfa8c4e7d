// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;

/**
 * Base of the panel's integration tests: the whole application against the shared test PostgreSQL.
 * Test classes share one application context and one database, so each names its users uniquely.
 */
@SpringBootTest(properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD, "cairn.login.slowdown=50ms",
		PanelTest.CONTAINER_SESSIONS })
@AutoConfigureMockMvc
public abstract class PanelTest {

	public static final String ADMIN = "admin";

	/**
	 * MockMvc carries sessions as {@code MockHttpSession} objects, which Spring Session's filter does not see: these
	 * tests keep sessions in the servlet container. Sessions in PostgreSQL are tested over HTTP (SharedSessionTests).
	 */
	public static final String CONTAINER_SESSIONS = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration";

	public static final String ADMIN_PASSWORD = "Granite-Cairn-Test-7";

	@Autowired
	protected MockMvc mvc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, TestDatabase.shared());
		PanelEngine.register(registry);
	}

	/** Signs in through the real form and returns the session. */
	protected MockHttpSession signIn(String username, String password) throws Exception {
		MvcResult result = mvc.perform(formLogin("/login").user(username).password(password)).andReturn();
		if (result.getResponse().getStatus() != 302
				|| result.getResponse().getRedirectedUrl() == null
				|| result.getResponse().getRedirectedUrl().contains("/login")) {
			throw new AssertionError("sign-in of " + username + " failed: " + result.getResponse().getRedirectedUrl());
		}
		return (MockHttpSession) result.getRequest().getSession(false);
	}
}
