// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Personal API tokens: made with a password (Basic, on that path only) or on the page, used, revoked, expired. */
class TokenTests extends PanelTest {

	private static final String PASSWORD = "Granite-Tokens-Secret-8";

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	private String token(MvcResult result) throws Exception {
		return result.getResponse().getContentAsString().replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
	}

	private MvcResult me(String token) throws Exception {
		return mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andReturn();
	}

	@Test
	void aTokenMadeWithAPasswordWorksUntilRevokedOrExpired() throws Exception {
		long id = accounts.create(new NewUser("billing-bot", "bot@example.com", Role.CUSTOMER, PASSWORD)).account().getId();
		MvcResult wrong = mvc.perform(post("/api/v1/tokens").with(httpBasic("billing-bot", "Wrong-Password-123"))
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"billing\"}")).andReturn();
		assertThat(wrong.getResponse().getStatus()).isEqualTo(401);
		assertThat(wrong.getResponse().getContentType()).startsWith("application/problem+json");
		MvcResult basicElsewhere = mvc.perform(get("/api/v1/me").with(httpBasic("billing-bot", PASSWORD))).andReturn();
		assertThat(basicElsewhere.getResponse().getStatus()).as("Basic only on /api/v1/tokens").isEqualTo(401);

		MvcResult created = mvc.perform(post("/api/v1/tokens").with(httpBasic("billing-bot", PASSWORD))
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"billing\",\"days\":30}")).andReturn();
		assertThat(created.getResponse().getStatus()).isEqualTo(201);
		String token = token(created);
		assertThat(token).startsWith("cairn_").hasSizeGreaterThan(40);
		assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Long.class, token))
			.as("the secret itself is never stored").isZero();

		MvcResult used = me(token);
		assertThat(used.getResponse().getStatus()).isEqualTo(200);
		assertThat(used.getResponse().getContentAsString()).contains("\"username\":\"billing-bot\"");
		// that a token's request gets no session cookie is checked over real HTTP: frontend/tests/api-token.test.mjs
		// a change through a token needs no CSRF token and is audited
		MvcResult change = mvc.perform(post("/api/v1/ves").header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn();
		assertThat(change.getResponse().getStatus()).isEqualTo(400);
		assertThat(audit.find(new AuditFilter("billing-bot", "API_TOKEN_USE", Outcome.FAILURE, null, null), 0)
			.getContent()).isNotEmpty();
		assertThat(mvc.perform(get("/api/v1/tokens").header("Authorization", "Bearer " + token)).andReturn()
			.getResponse().getContentAsString()).contains("\"name\":\"billing\"").doesNotContain(token);

		assertThat(me("cairn_not-a-real-token").getResponse().getStatus()).isEqualTo(401);
		long tokenId = jdbc.queryForObject("select id from api_token where owner_id = ?", Long.class, id);
		assertThat(mvc.perform(delete("/api/v1/tokens/" + tokenId).with(httpBasic(ADMIN, ADMIN_PASSWORD))).andReturn()
			.getResponse().getStatus()).as("another user's token").isEqualTo(404);
		assertThat(me(token).getResponse().getStatus()).isEqualTo(200);
		assertThat(mvc.perform(delete("/api/v1/tokens/" + tokenId).header("Authorization", "Bearer " + token))
			.andReturn().getResponse().getStatus()).isEqualTo(204);
		assertThat(me(token).getResponse().getStatus()).as("revoked").isEqualTo(401);

		String second = token(mvc.perform(post("/api/v1/tokens").with(httpBasic("billing-bot", PASSWORD))
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"second\"}")).andReturn());
		assertThat(me(second).getResponse().getStatus()).isEqualTo(200);
		jdbc.update("update api_token set expires_at = now() - interval '1 minute' where name = 'second'");
		assertThat(me(second).getResponse().getStatus()).as("expired").isEqualTo(401);
		jdbc.update("update api_token set expires_at = now() + interval '1 day' where name = 'second'");
		accounts.suspend(id, ADMIN);
		assertThat(me(second).getResponse().getStatus()).as("owner suspended").isEqualTo(401);
	}

	@Test
	void theTokenPageShowsTheSecretOnceAndRevokes() throws Exception {
		accounts.create(new NewUser("page-tokens", "pt@example.com", Role.SUPPORT, PASSWORD));
		MockHttpSession session = signIn("page-tokens", PASSWORD);
		MvcResult bad = mvc.perform(post("/account/tokens").session(session).with(csrf()).param("name", "x")
			.param("days", "999")).andReturn();
		assertThat(bad.getFlashMap().get("error")).isEqualTo("days: must be from 1 to 366");
		MvcResult created = mvc.perform(post("/account/tokens").session(session).with(csrf()).param("name", "laptop")
			.param("days", "7")).andReturn();
		String secret = (String) created.getFlashMap().get("secret");
		assertThat(secret).startsWith("cairn_");
		assertThat(mvc.perform(get("/account/tokens").session(session)).andReturn().getResponse().getContentAsString())
			.as("the page after the creation shows it").contains(secret);
		String page = mvc.perform(get("/account/tokens").session(session)).andReturn().getResponse().getContentAsString();
		assertThat(page).as("and no page after").contains("laptop").contains(secret.substring(0, 12))
			.doesNotContain(secret);
		assertThat(me(secret).getResponse().getStatus()).isEqualTo(200);
		String id = page.replaceAll("(?s).*/account/tokens/(\\d+)/revoke.*", "$1");
		mvc.perform(post("/account/tokens/" + id + "/revoke").session(session).with(csrf()));
		assertThat(me(secret).getResponse().getStatus()).isEqualTo(401);
	}

	private MvcResult mint(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
			throws Exception {
		return mvc.perform(request.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\",\"days\":366}"))
			.andReturn();
	}

	@Test
	void aOneTimePasswordMakesNoTokenAndTheApiWaitsForTheUsersOwnPassword() throws Exception {
		accounts.create(new NewUser("one-timer", "ot@example.com", Role.CUSTOMER, PASSWORD));
		long id = jdbc.queryForObject("select id from user_account where username = 'one-timer'", Long.class);
		String oneTime = accounts.resetPassword(id);
		MvcResult refused = mint(post("/api/v1/tokens").with(httpBasic("one-timer", oneTime)));
		assertThat(refused.getResponse().getStatus()).isEqualTo(403);
		assertThat(refused.getResponse().getContentAsString()).contains("Choose your own password first");
		assertThat(jdbc.queryForObject("select count(*) from api_token where owner_id = ?", Long.class, id)).isZero();
		// the API's own way out: a password of one's own, with the one-time one as the current
		MvcResult changed = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.put("/api/v1/me/password").with(httpBasic("one-timer", oneTime)).contentType(MediaType.APPLICATION_JSON)
			.content("{\"currentPassword\":\"" + oneTime + "\",\"newPassword\":\"Basalt-Own-Choice-42\"}")).andReturn();
		assertThat(changed.getResponse().getStatus()).as(changed.getResponse().getContentAsString()).isEqualTo(204);
		assertThat(mint(post("/api/v1/tokens").with(httpBasic("one-timer", "Basalt-Own-Choice-42"))).getResponse()
			.getStatus()).isEqualTo(201);
	}

	@Test
	void aTokenCannotMakeAnotherToken() throws Exception {
		accounts.create(new NewUser("chain-maker", "cm@example.com", Role.CUSTOMER, PASSWORD));
		String first = token(mint(post("/api/v1/tokens").with(httpBasic("chain-maker", PASSWORD))));
		MvcResult second = mint(post("/api/v1/tokens").header("Authorization", "Bearer " + first));
		assertThat(second.getResponse().getStatus()).isEqualTo(403);
		assertThat(second.getResponse().getContentType()).startsWith("application/problem+json");
		assertThat(second.getResponse().getContentAsString()).contains("A token cannot make another token");
		assertThat(jdbc.queryForObject("select count(*) from api_token t join user_account u on u.id = t.owner_id"
				+ " where u.username = 'chain-maker'", Long.class)).isEqualTo(1);
		assertThat(audit.find(new AuditFilter("chain-maker", "TOKEN_CREATE", Outcome.FAILURE, null, null), 0).getContent())
			.isNotEmpty();
	}

	@Test
	void aPasswordResetOrChangeEndsTheUsersTokensAndSessions() throws Exception {
		long id = accounts.create(new NewUser("rotator", "rot@example.com", Role.CUSTOMER, PASSWORD)).account().getId();
		String before = token(mint(post("/api/v1/tokens").with(httpBasic("rotator", PASSWORD))));
		MockHttpSession other = signIn("rotator", PASSWORD);
		assertThat(me(before).getResponse().getStatus()).isEqualTo(200);

		// the user's own change, from a session: tokens end (the default), other sessions too, this one stays
		MockHttpSession here = signIn("rotator", PASSWORD);
		mvc.perform(post("/account/password").session(here).with(csrf()).param("currentPassword", PASSWORD)
			.param("newPassword", "Obsidian-Rotated-77").param("confirmPassword", "Obsidian-Rotated-77"));
		assertThat(me(before).getResponse().getStatus()).isEqualTo(401);
		assertThat(mvc.perform(get("/customer").session(other)).andReturn().getResponse().getRedirectedUrl())
			.contains("/login");
		assertThat(mvc.perform(get("/customer").session(here)).andReturn().getResponse().getStatus()).isEqualTo(200);
		assertThat(audit.find(new AuditFilter("rotator", "TOKENS_REVOKE", Outcome.SUCCESS, null, null), 0).getContent())
			.isNotEmpty();

		// keeping them is the user's choice
		String kept = token(mint(post("/api/v1/tokens").with(httpBasic("rotator", "Obsidian-Rotated-77"))));
		mvc.perform(post("/account/password").session(here).with(csrf()).param("currentPassword", "Obsidian-Rotated-77")
			.param("newPassword", "Obsidian-Rotated-88").param("confirmPassword", "Obsidian-Rotated-88")
			.param("keepTokens", "true"));
		assertThat(me(kept).getResponse().getStatus()).isEqualTo(200);

		// an admin's reset ends them all
		accounts.resetPassword(id);
		assertThat(me(kept).getResponse().getStatus()).isEqualTo(401);
	}
}
