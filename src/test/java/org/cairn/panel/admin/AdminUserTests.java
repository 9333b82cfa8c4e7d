// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.admin;

import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The admin's user pages, as an admin uses them, with what the affected user then sees. */
class AdminUserTests extends PanelTest {

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	private MvcResult create(MockHttpSession admin, String username, String email, String role, String password)
			throws Exception {
		return mvc.perform(post("/admin/users/new").session(admin)
			.with(csrf())
			.param("username", username)
			.param("email", email)
			.param("role", role)
			.param("password", password)).andReturn();
	}

	@Test
	void badInputIsShownBesideTheFieldAndNothingIsSaved() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		long before = accounts.count();
		assertThat(create(admin, "Bad Name!", "b@example.com", "CUSTOMER", "").getResponse().getContentAsString())
			.contains("must be 3 to 32 characters");
		assertThat(create(admin, "badmail", "not-an-address", "CUSTOMER", "").getResponse().getContentAsString())
			.contains("must be an e-mail address");
		assertThat(create(admin, "shortpw", "s@example.com", "CUSTOMER", "short").getResponse().getContentAsString())
			.contains("at least 12 characters");
		assertThat(create(admin, "commonpw", "c@example.com", "CUSTOMER", "password1234").getResponse()
			.getContentAsString()).contains("commonly used");
		MvcResult badRole = create(admin, "badrole", "r@example.com", "EMPEROR", "");
		assertThat(badRole.getResponse().getStatus()).isEqualTo(200);
		assertThat(badRole.getResponse().getContentAsString()).contains("must be customer, support or admin");
		assertThat(create(admin, ADMIN, "dup@example.com", "CUSTOMER", "").getResponse().getContentAsString())
			.contains("is already taken");
		assertThat(accounts.count()).isEqualTo(before);
		assertThat(audit.find(new AuditFilter(ADMIN, "USER_CREATE", Outcome.FAILURE, null, null), 0).getContent())
			.isNotEmpty();
	}

	@Test
	void createdUserGetsAOneTimePasswordAndMustChooseTheirOwn() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult created = create(admin, "otp-user", "otp@example.com", "CUSTOMER", "");
		String oneTime = (String) created.getFlashMap().get("oneTimePassword");
		assertThat(oneTime).hasSizeGreaterThanOrEqualTo(12);

		MvcResult login = mvc.perform(formLogin("/login").user("otp-user").password(oneTime)).andReturn();
		assertThat(login.getResponse().getRedirectedUrl()).endsWith("/account/password");
		MockHttpSession user = (MockHttpSession) login.getRequest().getSession(false);
		mvc.perform(get("/customer").session(user)).andExpect(redirectedUrl("/account/password"));

		mvc.perform(post("/account/password").session(user)
			.with(csrf())
			.param("currentPassword", oneTime)
			.param("newPassword", "Fresh-Basalt-Path-42")
			.param("confirmPassword", "Fresh-Basalt-Path-42")).andExpect(redirectedUrl("/customer"));
		mvc.perform(get("/customer").session(user)).andExpect(status().isOk());
		signIn("otp-user", "Fresh-Basalt-Path-42");
	}

	@Test
	void suspendingEndsTheSessionsAndBlocksSignInUntilUnsuspended() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult created = create(admin, "susp-user", "susp@example.com", "CUSTOMER", "Obsidian-Trail-Map-8");
		String userPage = created.getResponse().getRedirectedUrl();
		MockHttpSession customer = signIn("susp-user", "Obsidian-Trail-Map-8");

		mvc.perform(post(userPage + "/suspend").session(admin).with(csrf()))
			.andExpect(flash().attribute("message", containsString("suspended")));
		mvc.perform(get("/customer").session(customer)).andExpect(redirectedUrl("/login?expired"));
		MvcResult refused = mvc.perform(formLogin("/login").user("susp-user").password("Obsidian-Trail-Map-8"))
			.andReturn();
		assertThat(refused.getResponse().getRedirectedUrl()).endsWith("/login?error");
		mvc.perform(get("/login").session((MockHttpSession) refused.getRequest().getSession(false)))
			.andExpect(content().string(containsString("This account is suspended")));
		mvc.perform(get(userPage).session(admin)).andExpect(content().string(containsString("suspended")));

		mvc.perform(post(userPage + "/unsuspend").session(admin).with(csrf())).andExpect(status().is3xxRedirection());
		signIn("susp-user", "Obsidian-Trail-Map-8");
		assertThat(audit.find(new AuditFilter(ADMIN, "USER_SUSPEND", Outcome.SUCCESS, null, null), 0).getContent()
			.stream()
			.anyMatch(e -> "user:susp-user".equals(e.getTarget()) && e.getSourceAddress() != null)).isTrue();
	}

	@Test
	void adminCannotSuspendThemselves() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		long adminId = accounts.search(ADMIN, null).stream().filter(u -> u.getUsername().equals(ADMIN)).findFirst()
			.orElseThrow().getId();
		mvc.perform(post("/admin/users/" + adminId + "/suspend").session(admin).with(csrf()))
			.andExpect(flash().attribute("error", containsString("your own account")));
		mvc.perform(get("/admin").session(admin)).andExpect(status().isOk());
	}

	@Test
	void passwordResetReplacesTheOldPasswordWithAOneTimeOne() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult created = create(admin, "reset-user", "reset@example.com", "SUPPORT", "Quartz-Ridge-Lamp-55");
		String userPage = created.getResponse().getRedirectedUrl();
		MvcResult reset = mvc.perform(post(userPage + "/reset-password").session(admin).with(csrf())).andReturn();
		String oneTime = (String) reset.getFlashMap().get("oneTimePassword");
		assertThat(oneTime).isNotBlank();

		MvcResult old = mvc.perform(formLogin("/login").user("reset-user").password("Quartz-Ridge-Lamp-55")).andReturn();
		assertThat(old.getResponse().getRedirectedUrl()).endsWith("/login?error");
		MvcResult fresh = mvc.perform(formLogin("/login").user("reset-user").password(oneTime)).andReturn();
		assertThat(fresh.getResponse().getRedirectedUrl()).endsWith("/account/password");
	}

	@Test
	void editChangesEmailAndRoleAndRefusesABadEmail() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult created = create(admin, "edit-user", "edit@example.com", "CUSTOMER", "Marble-Creek-Fern-31");
		String userPage = created.getResponse().getRedirectedUrl();
		mvc.perform(post(userPage).session(admin).with(csrf()).param("email", "broken").param("role", "SUPPORT"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("must be an e-mail address")));
		assertThat(accounts.search("edit-user", null).get(0).getRole().name()).isEqualTo("CUSTOMER");
		mvc.perform(post(userPage).session(admin).with(csrf()).param("email", "new@example.com").param("role", "SUPPORT"))
			.andExpect(redirectedUrl(userPage));
		var user = accounts.search("edit-user", null).get(0);
		assertThat(user.getEmail()).isEqualTo("new@example.com");
		assertThat(user.getRole().name()).isEqualTo("SUPPORT");
		MvcResult login = mvc.perform(formLogin("/login").user("edit-user").password("Marble-Creek-Fern-31")).andReturn();
		assertThat(login.getResponse().getRedirectedUrl()).endsWith("/support");
	}

	@Test
	void auditPageListsAndFiltersEntries() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		create(admin, "audit-user", "audit@example.com", "CUSTOMER", "Cedar-Harbor-Stone-64");
		mvc.perform(get("/admin/audit").session(admin).param("action", "USER_CREATE").param("actor", ADMIN))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("user:audit-user")));
		mvc.perform(get("/admin/audit").session(admin).param("action", "LOGOUT").param("actor", "nobody-at-all"))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("user:audit-user"))));
		mvc.perform(get("/admin/audit").session(admin).param("from", "yesterday"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("from and until must be dates")));
	}
}
