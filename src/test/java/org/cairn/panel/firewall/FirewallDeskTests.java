// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import org.cairn.engine.VeEngine;
import org.cairn.engine.firewall.FirewallRule;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * A customer's VE firewall through the API and the page (the plan's number of rules, bad input named, only their
 * own VE), and the node's rules for admins; audited. What the rules do to packets: the engine's FirewallTests.
 */
class FirewallDeskTests extends PanelTest {

	private static final String PASSWORD = "Firewall-Desk-Secret-3";

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	PlanCatalog plans;

	@Autowired
	AuditLog audit;

	@Autowired
	Fixtures fixtures;

	@Autowired
	AccountManagement accounts;

	private MvcResult putFirewall(MockHttpSession session, long veId, String json) throws Exception {
		return mvc.perform(put("/api/v1/ves/" + veId + "/firewall").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(json)).andReturn();
	}

	@Test
	void aCustomerSetsTheirVesFirewallWithinThePlanAndNoOneElsesVe() throws Exception {
		Plan plan = plans.create(new PlanForm("Two rules", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0",
				"0", "", "0", "", "", "2"));
		long owner = fixtures.customer("fw-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "fw.example.com");
		long other = fixtures.customer("fw-other", PASSWORD, plan, 1);
		MockHttpSession session = signIn("fw-owner", PASSWORD);
		String engineName = management.owned(owner, veId).getEngineName();

		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/firewall").session(session)).andReturn().getResponse()
			.getContentAsString()).isEqualTo("{\"policy\":\"allow\",\"icmp\":true,\"established\":true,\"rules\":[],"
					+ "\"allowed\":2}");
		MvcResult set = putFirewall(session, veId,
				"{\"policy\":\"drop\",\"rules\":[\"allow tcp 80\",\"allow tcp 22 from 198.51.100.0/24\"]}");
		assertThat(set.getResponse().getStatus()).as(set.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(engine.firewall(engineName).policy()).isEqualTo(FirewallRule.Action.DROP);
		assertThat(engine.firewall(engineName).rules()).extracting(FirewallRule::toString)
			.containsExactly("allow tcp 80", "allow tcp 22 from 198.51.100.0/24");

		MvcResult tooMany = putFirewall(session, veId, "{\"rules\":[\"allow tcp 1\",\"allow tcp 2\",\"allow tcp 3\"]}");
		assertThat(tooMany.getResponse().getStatus()).isEqualTo(400);
		assertThat(tooMany.getResponse().getContentAsString()).contains("\"field\":\"rules\"").contains("allows 2 rules");
		MvcResult badRule = putFirewall(session, veId, "{\"rules\":[\"allow tcp 80\",\"allow tcp 99999\"]}");
		assertThat(badRule.getResponse().getStatus()).isEqualTo(400);
		assertThat(badRule.getResponse().getContentAsString()).contains("\"field\":\"rules[1]\"")
			.contains("ports are 1 to 65535");
		assertThat(putFirewall(session, veId, "{\"policy\":\"maybe\"}").getResponse().getContentAsString())
			.contains("\"field\":\"policy\"");
		assertThat(engine.firewall(engineName).rules()).as("nothing half-done").hasSize(2);

		MockHttpSession stranger = signIn("fw-other", PASSWORD);
		assertThat(putFirewall(stranger, veId, "{\"policy\":\"allow\"}").getResponse().getStatus()).isEqualTo(404);
		assertThat(mvc.perform(get("/customer/ves/" + veId + "/firewall").session(stranger)).andReturn().getResponse()
			.getStatus()).isEqualTo(404);

		// the page: delete the first rule, add one with a bad source (named), then a good one
		mvc.perform(post("/customer/ves/" + veId + "/firewall/rules/1/delete").session(session).with(csrf()));
		MvcResult bad = mvc.perform(post("/customer/ves/" + veId + "/firewall/rules").session(session).with(csrf())
			.param("action", "allow").param("protocol", "udp").param("ports", "53").param("source", "example.com"))
			.andReturn();
		assertThat(bad.getFlashMap().get("errorField")).isEqualTo("source");
		mvc.perform(post("/customer/ves/" + veId + "/firewall/rules").session(session).with(csrf())
			.param("action", "allow").param("protocol", "udp").param("ports", "53").param("source", ""));
		mvc.perform(post("/customer/ves/" + veId + "/firewall/settings").session(session).with(csrf())
			.param("policy", "drop").param("established", "true"));
		String page = mvc.perform(get("/customer/ves/" + veId + "/firewall").session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(page).contains("allow tcp 22 from 198.51.100.0/24").contains("allow udp 53")
			.doesNotContain(">allow tcp 80<");
		assertThat(engine.firewall(engineName).icmp()).as("the box left unticked").isFalse();
		assertThat(engine.firewall(engineName).established()).isTrue();
		assertThat(audit.find(new AuditFilter("fw-owner", "FIREWALL_CHANGE", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSizeGreaterThanOrEqualTo(4)
			.allSatisfy(entry -> assertThat(entry.getTarget()).isEqualTo("ve:fw.example.com"));
	}

	@Test
	void adminsSetTheNodesRulesAndCustomersCannot() throws Exception {
		accounts.create(new NewUser("fw-admin", "fw-admin@example.com", Role.ADMIN, PASSWORD));
		accounts.create(new NewUser("fw-cust", "fw-cust@example.com", Role.CUSTOMER, PASSWORD));
		MockHttpSession admin = signIn("fw-admin", PASSWORD);
		try {
			MvcResult set = mvc.perform(put("/api/v1/admin/firewall").session(admin).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("{\"rules\":[\"out drop tcp 25\"]}")).andReturn();
			assertThat(set.getResponse().getContentAsString()).isEqualTo("{\"rules\":[\"out drop tcp 25\"]}");
			assertThat(engine.nodeFirewall()).extracting(Object::toString).containsExactly("out drop tcp 25");
			MvcResult bad = mvc.perform(put("/api/v1/admin/firewall").session(admin).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("{\"rules\":[\"out allow tcp 25\"]}")).andReturn();
			assertThat(bad.getResponse().getStatus()).isEqualTo(400);
			assertThat(bad.getResponse().getContentAsString()).contains("\"field\":\"rules[0]\"");
			assertThat(mvc.perform(put("/api/v1/admin/firewall").session(signIn("fw-cust", PASSWORD)).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("{\"rules\":[]}")).andReturn().getResponse().getStatus())
				.isEqualTo(403);
			mvc.perform(post("/admin/firewall/rules").session(admin).with(csrf()).param("rule", "in drop tcp 23"));
			assertThat(mvc.perform(get("/admin/firewall").session(admin)).andReturn().getResponse().getContentAsString())
				.contains("out drop tcp 25").contains("in drop tcp 23");
			assertThat(audit.find(new AuditFilter("fw-admin", "NODE_FIREWALL_CHANGE", Outcome.SUCCESS, null, null), 0)
				.getContent()).hasSize(2);

			// a VE the admin trusts: the node-wide rules pass over it
			Plan plan = plans.create(new PlanForm("Exempt plan", "64M", "0", "1", "", "100", "128", "", "", "", "", "0",
					"0", "0", "", "0", "", ""));
			long owner = fixtures.customer("fw-exempt", PASSWORD, plan, 1);
			long veId = fixtures.ve(owner, plan, "trusted.example.com");
			MvcResult exempted = mvc.perform(put("/api/v1/admin/ves/" + veId + "/node-rules").session(admin).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("{\"exempt\":true}")).andReturn();
			assertThat(exempted.getResponse().getContentAsString()).isEqualTo("{\"exempt\":true}");
			assertThat(engine.nodeRulesExempt(management.owned(owner, veId).getEngineName())).isTrue();
			assertThat(mvc.perform(put("/api/v1/admin/ves/" + veId + "/node-rules").session(admin).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn().getResponse().getContentAsString())
				.contains("\"field\":\"exempt\"");
			assertThat(mvc.perform(put("/api/v1/admin/ves/" + veId + "/node-rules").session(signIn("fw-exempt", PASSWORD))
				.with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"exempt\":true}")).andReturn().getResponse()
				.getStatus()).as("not the customer's to decide").isEqualTo(403);
			assertThat(audit.find(new AuditFilter("fw-admin", "NODE_FIREWALL_EXEMPT", Outcome.SUCCESS, null, null), 0)
				.getContent()).hasSize(1);
		}
		finally {
			engine.setNodeFirewall(java.util.List.of());
		}
	}
}
