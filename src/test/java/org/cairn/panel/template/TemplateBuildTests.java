// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.time.Duration;

import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
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

/** The admin rebuilds a template and follows its log; a second build of it waits for the first. */
class TemplateBuildTests extends PanelTest {

	private static final String PASSWORD = "Template-Admin-Secret-5";

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Test
	void anAdminRebuildsBusyboxAndSeesItsLog() throws Exception {
		accounts.create(new NewUser("tpl-admin", "tpl-admin@example.com", Role.ADMIN, PASSWORD));
		MockHttpSession admin = signIn("tpl-admin", PASSWORD);
		assertThat(mvc.perform(get("/admin/templates").session(admin)).andReturn().getResponse().getContentAsString())
			.contains("busybox").contains("debian-12").contains("BusyBox");

		MvcResult started = mvc.perform(post("/api/v1/admin/templates/busybox/build").session(admin).with(csrf()))
			.andReturn();
		assertThat(started.getResponse().getStatus()).isEqualTo(202);
		MvcResult again = mvc.perform(post("/admin/templates/busybox/build").session(admin).with(csrf())).andReturn();
		String flash = String.valueOf(again.getFlashMap().get("error"));
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		String build = "";
		while (System.nanoTime() < deadline) {
			build = mvc.perform(get("/api/v1/admin/templates/busybox/build").session(admin)).andReturn().getResponse()
				.getContentAsString();
			if (!build.contains("\"state\":\"running\"")) {
				break;
			}
			Thread.sleep(200);
		}
		assertThat(build).contains("\"state\":\"succeeded\"").contains("linking its applets").contains("built: BusyBox");
		assertThat(flash).as("a second build while one runs is refused, or the first had ended")
			.satisfiesAnyOf(f -> assertThat(f).contains("under way"), f -> assertThat(f).isEqualTo("null"));
		assertThat(mvc.perform(get("/admin/templates/busybox/build").session(admin)).andReturn().getResponse()
			.getContentAsString()).contains("linking its applets").contains("succeeded");
		assertThat(audit.find(new AuditFilter("tpl-admin", "TEMPLATE_BUILD", null, null, null), 0).getContent())
			.isNotEmpty();
	}
}
