// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.plan.Plan;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * An admin's move of a VE from the node page and the API, refused as a user would see it: the page says why, the
 * API answers 400 naming the field, and the VE is left as it was (moves that go through: FleetPlacementTests).
 */
class VeMovePageTests extends PanelTest {

	private static final String PASSWORD = "Granite-Move-Secret-4";

	@Autowired
	Fixtures fixtures;

	@Autowired
	VeManagement management;

	@Test
	void aMoveToANodeThatCannotTakeTheVeIsRefusedNamingWhy() throws Exception {
		Plan plan = fixtures.plan("Moves", "0", "");
		long owner = fixtures.customer("move-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "stays.example.com");
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);

		MvcResult page = mvc.perform(post("/admin/ves/" + veId + "/migrate").session(admin).with(csrf())
			.param("node", "nowhere")).andReturn();
		assertThat(page.getResponse().getRedirectedUrl()).isEqualTo("/admin/node");
		assertThat(page.getFlashMap().get("moveError")).isEqualTo("there is no node named nowhere");
		assertThat(mvc.perform(get("/admin/node").session(admin).flashAttrs(page.getFlashMap())).andReturn()
			.getResponse().getContentAsString()).contains("there is no node named nowhere");

		MvcResult api = mvc.perform(post("/api/v1/admin/ves/" + veId + "/migrate").session(admin).with(csrf())
			.contentType("application/json").content("{\"node\":\"local\"}")).andReturn();
		assertThat(api.getResponse().getStatus()).isEqualTo(400);
		assertThat(api.getResponse().getContentAsString()).contains("\"field\":\"node\"")
			.contains("the VE is on local already");
		assertThat(mvc.perform(post("/api/v1/admin/ves/" + veId + "/migrate").session(admin).with(csrf())
			.contentType("application/json").content("{}")).andReturn().getResponse().getContentAsString())
			.contains("name the node to move the VE to");
		assertThat(mvc.perform(post("/api/v1/admin/ves/" + veId + "/migrate").session(admin).with(csrf())
			.contentType("application/json").content("{\"node\":\"local\",\"live\":true}")).andReturn().getResponse()
			.getContentAsString()).as("live or not, the node is checked").contains("the VE is on local already");
		assertThat(management.get(owner, veId).state()).isEqualTo("running");
	}
}
