// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.cairn.panel.PanelTest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Forms refuse a request that lacks the session's CSRF token. */
class CsrfTests extends PanelTest {

	@Test
	void signInWithoutTokenIsRefused() throws Exception {
		mvc.perform(post("/login").param("username", ADMIN).param("password", ADMIN_PASSWORD))
			.andExpect(status().isForbidden());
	}

	@Test
	void adminFormWithoutOrWithForgedTokenIsRefusedAndCreatesNothing() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		mvc.perform(post("/admin/users/new").session(admin)
			.param("username", "csrf-victim")
			.param("email", "v@example.com")
			.param("role", "ADMIN")).andExpect(status().isForbidden());
		mvc.perform(post("/admin/users/new").session(admin)
			.with(csrf().useInvalidToken())
			.param("username", "csrf-victim")
			.param("email", "v@example.com")
			.param("role", "ADMIN")).andExpect(status().isForbidden());
		mvc.perform(get("/admin/users").session(admin).param("q", "csrf-victim"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("csrf-victim</a>"))));
	}

	@Test
	void signOutNeedsToken() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		mvc.perform(post("/logout").session(admin)).andExpect(status().isForbidden());
		mvc.perform(get("/admin").session(admin)).andExpect(status().isOk());
	}
}
