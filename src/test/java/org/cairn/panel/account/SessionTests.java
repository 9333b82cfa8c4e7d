// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.cairn.panel.PanelTest;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** A user sees where they are signed in and signs out one session, or every other one; others' are out of reach. */
class SessionTests extends PanelTest {

	private static final String PASSWORD = "Session-Test-Secret-4";

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Test
	void aUserEndsTheirOtherSessions() throws Exception {
		accounts.create(new NewUser("sess-user", "sess-user@example.com", Role.CUSTOMER, PASSWORD));
		accounts.create(new NewUser("sess-other", "sess-other@example.com", Role.CUSTOMER, PASSWORD));
		MockHttpSession laptop = signIn("sess-user", PASSWORD);
		MockHttpSession phone = signIn("sess-user", PASSWORD);
		MockHttpSession tablet = signIn("sess-user", PASSWORD);
		MockHttpSession other = signIn("sess-other", PASSWORD);

		String page = mvc.perform(get("/account/sessions").session(laptop)).andReturn().getResponse().getContentAsString();
		String phoneHandle = AccountSessions.handle(phone.getId());
		assertThat(page).contains(AccountSessions.handle(laptop.getId())).contains(phoneHandle)
			.contains(AccountSessions.handle(tablet.getId())).doesNotContain(AccountSessions.handle(other.getId()))
			.contains("(this one)");

		assertThat(mvc.perform(post("/account/sessions/" + AccountSessions.handle(other.getId()) + "/end").session(laptop)
			.with(csrf())).andReturn().getResponse().getStatus()).as("another user's session").isEqualTo(404);
		assertThat(mvc.perform(get("/customer").session(other)).andReturn().getResponse().getStatus()).isEqualTo(200);

		mvc.perform(post("/account/sessions/" + phoneHandle + "/end").session(laptop).with(csrf()));
		MvcResult ended = mvc.perform(get("/customer").session(phone)).andReturn();
		assertThat(ended.getResponse().getRedirectedUrl()).endsWith("/login?expired");
		assertThat(mvc.perform(get("/customer").session(tablet)).andReturn().getResponse().getStatus()).isEqualTo(200);

		mvc.perform(post("/account/sessions/end-others").session(laptop).with(csrf()));
		assertThat(mvc.perform(get("/customer").session(tablet)).andReturn().getResponse().getRedirectedUrl())
			.endsWith("/login?expired");
		assertThat(mvc.perform(get("/customer").session(laptop)).andReturn().getResponse().getStatus())
			.as("the current session stays").isEqualTo(200);
		assertThat(audit.find(new AuditFilter("sess-user", "SESSION_END", null, null, null), 0).getContent()).hasSize(1);
	}
}
