// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
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

/** A plan offers the templates it lists; an admin hides a template from every customer; creates follow both. */
class TemplateOfferTests extends PanelTest {

	private static final String PASSWORD = "Template-Offer-Secret-8";

	@Autowired
	AccountManagement accounts;

	@Autowired
	PlanCatalog plans;

	@Autowired
	Fixtures fixtures;

	private MvcResult create(MockHttpSession session, Plan plan, String template) throws Exception {
		return mvc.perform(post("/api/v1/ves").session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"plan\":" + plan.getId() + ",\"template\":\"" + template
					+ "\",\"hostname\":\"offer.example.com\",\"rootPassword\":\"Offer-Root-Pass-1\"}"))
			.andReturn();
	}

	@Test
	void plansOfferTheirTemplatesAndHiddenOnesAreOfferedToNoOne() throws Exception {
		Plan narrow = plans.create(new PlanForm("Narrow", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0",
				"0", "", "0", "debian-12", ""));
		assertThat(narrow.getTemplates()).containsExactly("debian-12");
		fixtures.customer("offer-cust", PASSWORD, narrow, 1);
		MockHttpSession session = signIn("offer-cust", PASSWORD);
		MvcResult refused = create(session, narrow, "busybox");
		assertThat(refused.getResponse().getStatus()).isEqualTo(400);
		assertThat(refused.getResponse().getContentAsString()).contains("\"field\":\"template\"")
			.contains("the plan Narrow offers debian-12");
		assertThat(mvc.perform(get("/customer/ves/new").session(session)).andReturn().getResponse().getContentAsString())
			.as("the create page offers none of the others").doesNotContain("value=\"busybox\"");

		accounts.create(new NewUser("offer-admin", "offer-admin@example.com", Role.ADMIN, PASSWORD));
		MockHttpSession admin = signIn("offer-admin", PASSWORD);
		Plan wide = fixtures.plan("Wide", "0", "");
		fixtures.customer("offer-wide", PASSWORD, wide, 1);
		MockHttpSession other = signIn("offer-wide", PASSWORD);
		assertThat(mvc.perform(post("/api/v1/admin/templates/busybox/hide").session(admin).with(csrf())).andReturn()
			.getResponse().getStatus()).isEqualTo(204);
		try {
			assertThat(mvc.perform(get("/admin/templates").session(admin)).andReturn().getResponse().getContentAsString())
				.contains("id=\"visibility-busybox\">hidden");
			MvcResult hidden = create(other, wide, "busybox");
			assertThat(hidden.getResponse().getStatus()).isEqualTo(400);
			assertThat(hidden.getResponse().getContentAsString()).contains("choose one of the templates offered");
			assertThat(mvc.perform(get("/customer/ves/new").session(other)).andReturn().getResponse().getContentAsString())
				.doesNotContain("value=\"busybox\"");
			MvcResult bad = mvc.perform(post("/api/v1/admin/plans").session(admin).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content("""
						{"name":"Bad list","memory":"64M","swap":"0","cpus":"1","cpuWeight":"100","pids":"128",
						 "ipv4":"0","ipv6":"0","backupsKept":"0","templates":"debian-12 ../etc"}""")).andReturn();
			assertThat(bad.getResponse().getStatus()).isEqualTo(400);
			assertThat(bad.getResponse().getContentAsString()).contains("\"field\":\"templates\"");
		}
		finally {
			mvc.perform(post("/api/v1/admin/templates/busybox/show").session(admin).with(csrf()));
		}
		assertThat(mvc.perform(get("/customer/ves/new").session(other)).andReturn().getResponse().getContentAsString())
			.contains("value=\"busybox\"");
	}
}
