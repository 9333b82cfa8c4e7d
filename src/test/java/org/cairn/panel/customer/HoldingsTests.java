// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

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

/** An admin gives a customer plans and a quota; the customer sees them; bad input changes nothing. */
class HoldingsTests extends PanelTest {

	private static final String PASSWORD = "Granite-Holdings-Secret-4";

	@Autowired
	AccountManagement accounts;

	@Autowired
	PlanCatalog plans;

	@Autowired
	CustomerHoldings holdings;

	@Autowired
	AuditLog audit;

	private Plan plan(String name) {
		return plans.create(new PlanForm(name, "512M", "0", "1", "", "100", "128", "", "", "", "", "1", "0", "1", "", "0", "", ""));
	}

	@Test
	void anAdminGivesPlansAndAQuotaAndTheCustomerSeesThem() throws Exception {
		long customer = accounts.create(new NewUser("holder-one", "h1@example.com", Role.CUSTOMER, PASSWORD)).account()
			.getId();
		Plan small = plan("Holdings S");
		Plan large = plan("Holdings L");
		Plan old = plan("Holdings Old");
		plans.retire(old.getId(), true);
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		String page = mvc.perform(get("/admin/users/" + customer + "/plans").session(admin)).andReturn().getResponse()
			.getContentAsString();
		assertThat(page).contains("Holdings S").contains("Holdings L").as("a retired plan is offered to no one new")
			.doesNotContain("Holdings Old");

		MvcResult bad = mvc.perform(post("/admin/users/" + customer + "/plans").session(admin).with(csrf())
			.param("plans", small.getId().toString()).param("maxVes", "3").param("memory", "lots")).andReturn();
		assertThat(bad.getResponse().getContentAsString()).contains("&#39;lots&#39; is not a size");
		assertThat(mvc.perform(post("/admin/users/" + customer + "/plans").session(admin).with(csrf())
			.param("plans", old.getId().toString()).param("maxVes", "3")).andReturn().getResponse()
			.getContentAsString()).contains("is retired: it is given to no one new");
		assertThat(holdings.of(customer).plans()).isEmpty();

		MvcResult saved = mvc.perform(post("/admin/users/" + customer + "/plans").session(admin).with(csrf())
			.param("plans", small.getId().toString(), large.getId().toString()).param("maxVes", "3")
			.param("memory", "4G").param("disk", "100G").param("cpus", "2.5")).andReturn();
		assertThat(saved.getResponse().getStatus()).isEqualTo(302);
		Holdings now = holdings.of(customer);
		assertThat(now.plans()).extracting(p -> p.name()).containsExactly("Holdings S", "Holdings L");
		assertThat(now.quota()).extracting(Quota::maxVes, Quota::memoryBytes, Quota::diskBytes)
			.containsExactly(3, 4L << 30, 100L << 30);
		assertThat(plans.holders(small.getId())).isEqualTo(1);

		MockHttpSession customerSession = signIn("holder-one", PASSWORD);
		assertThat(mvc.perform(get("/customer").session(customerSession)).andReturn().getResponse().getContentAsString())
			.contains("Holdings S: 512M memory, 1 CPU").contains("Up to 3 VEs.");
		assertThat(audit.find(new AuditFilter(ADMIN, "CUSTOMER_HOLDINGS", Outcome.SUCCESS, null, null), 0).getContent())
			.isNotEmpty();
	}

	@Test
	void theApiSetsHoldingsAndRefusesByName() throws Exception {
		long customer = accounts.create(new NewUser("holder-two", "h2@example.com", Role.CUSTOMER, PASSWORD)).account()
			.getId();
		long support = accounts.create(new NewUser("not-a-customer", "s@example.com", Role.SUPPORT, PASSWORD)).account()
			.getId();
		Plan plan = plan("Holdings API");
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		String body = "{\"plans\":[" + plan.getId() + "],\"maxVes\":\"2\",\"memory\":\"2G\",\"disk\":\"\",\"cpus\":\"\"}";
		MvcResult set = mvc.perform(put("/api/v1/admin/customers/" + customer + "/holdings").session(admin).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
		assertThat(set.getResponse().getStatus()).isEqualTo(200);
		assertThat(set.getResponse().getContentAsString()).contains("\"name\":\"Holdings API\"").contains("\"maxVes\":2");

		MvcResult notCustomer = mvc.perform(put("/api/v1/admin/customers/" + support + "/holdings").session(admin)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
		assertThat(notCustomer.getResponse().getStatus()).isEqualTo(400);
		assertThat(notCustomer.getResponse().getContentAsString()).contains("\"field\":\"role\"");
		MvcResult unknownPlan = mvc.perform(put("/api/v1/admin/customers/" + customer + "/holdings").session(admin)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body.replace("[" + plan.getId(), "[987654")))
			.andReturn();
		assertThat(unknownPlan.getResponse().getStatus()).isEqualTo(400);
		assertThat(unknownPlan.getResponse().getContentAsString()).contains("there is no plan 987654");
		assertThat(holdings.of(customer).plans()).hasSize(1);
		// pinned to a node group: a name, or refused by field
		MvcResult pinned = mvc.perform(put("/api/v1/admin/customers/" + customer + "/holdings").session(admin)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body.replace("}", ",\"nodeGroup\":\"fra1\"}")))
			.andReturn();
		assertThat(pinned.getResponse().getContentAsString()).contains("\"nodeGroup\":\"fra1\"");
		MvcResult badGroup = mvc.perform(put("/api/v1/admin/customers/" + customer + "/holdings").session(admin)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body.replace("}", ",\"nodeGroup\":\"FRA 1\"}")))
			.andReturn();
		assertThat(badGroup.getResponse().getStatus()).isEqualTo(400);
		assertThat(badGroup.getResponse().getContentAsString()).contains("\"field\":\"nodeGroup\"");
		assertThat(holdings.of(customer).nodeGroup()).isEqualTo("fra1");
		MvcResult missing = mvc.perform(get("/api/v1/admin/customers/987654/holdings").session(admin)).andReturn();
		assertThat(missing.getResponse().getStatus()).isEqualTo(404);
		assertThat(missing.getResponse().getContentType()).startsWith("application/problem+json");
	}
}
