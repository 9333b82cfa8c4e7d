// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/** Plans as an admin defines them on the pages and a billing system through the API. */
class PlanTests extends PanelTest {

	@Autowired
	PlanCatalog catalog;

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcTemplate jdbc;

	private MvcResult submit(MockHttpSession admin, String path, String name, String memory, String cpuLimit,
			String backupTime) throws Exception {
		return mvc.perform(post(path).session(admin).with(csrf()).param("name", name).param("memory", memory)
			.param("swap", "0").param("cpus", "1").param("cpuLimit", cpuLimit).param("cpuWeight", "100")
			.param("pids", "256").param("disk", "10G").param("inodes", "").param("ioRead", "").param("ioWrite", "")
			.param("ipv4", "1").param("ipv6", "2").param("backupsKept", "7").param("backupTime", backupTime)).andReturn();
	}

	@Test
	void anAdminDefinesAPlanAndBadInputIsShownBesideItsField() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		long before = catalog.all().size();
		assertThat(submit(admin, "/admin/plans/new", "Bad/Name", "512M", "", "03:00").getResponse().getContentAsString())
			.contains("must be 1 to 64 letters");
		assertThat(submit(admin, "/admin/plans/new", "Web S", "lots", "", "03:00").getResponse().getContentAsString())
			.contains("&#39;lots&#39; is not a size");
		assertThat(submit(admin, "/admin/plans/new", "Web S", "8M", "", "03:00").getResponse().getContentAsString())
			.contains("at least 16M");
		assertThat(submit(admin, "/admin/plans/new", "Web S", "512M", "5000%", "03:00").getResponse()
			.getContentAsString()).contains("must be between 1% and");
		assertThat(submit(admin, "/admin/plans/new", "Web S", "512M", "", "25:61").getResponse().getContentAsString())
			.contains("must be a time of day");
		assertThat(catalog.all()).hasSize((int) before);

		MvcResult created = submit(admin, "/admin/plans/new", "Web S", "512M", "50%", "03:30");
		assertThat(created.getResponse().getStatus()).isEqualTo(302);
		String location = created.getResponse().getRedirectedUrl();
		assertThat(mvc.perform(get("/admin/plans").session(admin)).andReturn().getResponse().getContentAsString())
			.contains("Web S").contains("512M").contains("1 / 2").contains("7 kept, daily at 03:30");
		assertThat(submit(admin, "/admin/plans/new", "web s", "512M", "", "").getResponse().getContentAsString())
			.contains("is already the name of a plan");

		Plan plan = catalog.all().stream().filter(p -> p.getName().equals("Web S")).findFirst().orElseThrow();
		assertThat(location).endsWith("/admin/plans/" + plan.getId());
		assertThat(plan.limits().cpuLimitPercent()).isEqualTo(50);
		assertThat(plan.limits().diskBytes()).isEqualTo(10L << 30);
		assertThat(submit(admin, location, "Web S", "1G", "", "").getResponse().getStatus()).isEqualTo(302);
		assertThat(catalog.get(plan.getId()).limits().memoryBytes()).isEqualTo(1L << 30);
		assertThat(catalog.get(plan.getId()).getBackupTime()).isNull();
		assertThat(mvc.perform(get("/admin/plans/999999").session(admin)).andReturn().getResponse().getStatus())
			.isEqualTo(404);
		assertThat(audit.find(new AuditFilter(ADMIN, "PLAN_UPDATE", Outcome.SUCCESS, null, null), 0).getContent())
			.isNotEmpty();
	}

	private MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, MockHttpSession admin,
			String body) {
		return request.session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	@Test
	void aBillingSystemManagesPlansThroughTheApi() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		String body = """
				{"name":"API M","memory":"1G","swap":"512M","cpus":"2","cpuWeight":"200","pids":"512","disk":"20G",
				 "ipv4":"1","ipv6":"1","backupsKept":"3","backupTime":"02:00"}""";
		MvcResult created = mvc.perform(json(post("/api/v1/admin/plans"), admin, body)).andReturn();
		assertThat(created.getResponse().getStatus()).isEqualTo(201);
		assertThat(created.getResponse().getContentAsString()).contains("\"name\":\"API M\"")
			.contains("\"memoryBytes\":1073741824").contains("\"cpuWeight\":200").contains("\"holders\":0");
		String location = created.getResponse().getHeader("Location");
		long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

		MvcResult bad = mvc.perform(json(put("/api/v1/admin/plans/" + id), admin, body.replace("\"2\"", "\"-2\"")))
			.andReturn();
		assertThat(bad.getResponse().getStatus()).isEqualTo(400);
		assertThat(bad.getResponse().getContentType()).startsWith("application/problem+json");
		assertThat(bad.getResponse().getContentAsString()).contains("\"field\":\"cpus\"");
		MvcResult unreadable = mvc.perform(json(post("/api/v1/admin/plans"), admin, "{not json")).andReturn();
		assertThat(unreadable.getResponse().getStatus()).isEqualTo(400);
		assertThat(unreadable.getResponse().getContentType()).startsWith("application/problem+json");
		assertThat(catalog.get(id).limits().cpus()).isEqualTo(2.0);

		assertThat(mvc.perform(json(post("/api/v1/admin/plans/" + id + "/retire"), admin, "")).andReturn().getResponse()
			.getContentAsString()).contains("\"retired\":true");

		long customer = accounts.create(new NewUser("plan-holder", "holder@example.com", Role.CUSTOMER,
				"Granite-Holder-Secret-9")).account().getId();
		jdbc.update("insert into customer_plan (customer_id, plan_id) values (?, ?)", customer, id);
		MvcResult held = mvc.perform(delete("/api/v1/admin/plans/" + id).session(admin).with(csrf())).andReturn();
		assertThat(held.getResponse().getStatus()).isEqualTo(409);
		assertThat(held.getResponse().getContentAsString()).contains("held by 1 customer; retire it instead");
		assertThat(mvc.perform(get("/api/v1/admin/plans/" + id).session(admin)).andReturn().getResponse()
			.getContentAsString()).contains("\"holders\":1");

		jdbc.update("delete from customer_plan where plan_id = ?", id);
		assertThat(mvc.perform(delete("/api/v1/admin/plans/" + id).session(admin).with(csrf())).andReturn()
			.getResponse().getStatus()).isEqualTo(204);
		MvcResult gone = mvc.perform(get("/api/v1/admin/plans/" + id).session(admin)).andReturn();
		assertThat(gone.getResponse().getStatus()).isEqualTo(404);
		assertThat(gone.getResponse().getContentType()).startsWith("application/problem+json");
		assertThat(audit.find(new AuditFilter(ADMIN, "PLAN_DELETE", Outcome.FAILURE, null, null), 0).getContent())
			.isNotEmpty();
	}
}
