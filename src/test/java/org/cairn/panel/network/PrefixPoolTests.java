// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.cairn.engine.VeEngine;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.Jobs;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Pools of IPv6 prefixes: cut from a larger prefix, never overlapping a pool of addresses, a /64 routed to each VE of
 * a plan that asks for one; its owner puts addresses of it on the VE's link; back in the pool when the VE goes.
 */
class PrefixPoolTests extends PanelTest {

	private static final String PASSWORD = "Prefix-Pool-Secret-8";

	@Autowired
	IpPools pools;

	@Autowired
	PlanCatalog plans;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	Fixtures fixtures;

	private MvcResult createPool(MockHttpSession admin, String json) throws Exception {
		return mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content(json)).andReturn();
	}

	private MvcResult addAddress(MockHttpSession session, long veId, String address) throws Exception {
		return mvc.perform(post("/api/v1/ves/" + veId + "/addresses").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"address\":\"" + address + "\"}")).andReturn();
	}

	@Test
	void aVeOfAPlanWithAPrefixGetsOneAndItsOwnerPutsAddressesOfItOnTheLink() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult made = createPool(admin, "{\"name\":\"v6 prefixes\",\"first\":\"2001:db8:f1::/56\",\"prefixLength\":\"64\"}");
		assertThat(made.getResponse().getStatus()).as(made.getResponse().getContentAsString()).isEqualTo(201);
		IpPool pool = pools.all().stream().filter(p -> p.name().equals("v6 prefixes")).findFirst().orElseThrow();
		assertThat(pool.size()).isEqualTo(256);
		assertThat(pool.prefixLength()).isEqualTo(64);
		assertThat(pool.last()).isEqualTo("2001:db8:f1:ff:ffff:ffff:ffff:ffff");
		MvcResult overlapping = createPool(admin, "{\"name\":\"inside\",\"first\":\"2001:db8:f1:7::10\",\"last\":\"2001:db8:f1:7::20\"}");
		assertThat(overlapping.getResponse().getStatus()).isEqualTo(400);
		assertThat(overlapping.getResponse().getContentAsString()).contains("overlaps another pool");
		MvcResult tooMany = createPool(admin, "{\"name\":\"huge\",\"first\":\"2001:db8::/40\",\"prefixLength\":\"64\"}");
		assertThat(tooMany.getResponse().getContentAsString()).contains("\"field\":\"prefixLength\"").contains("at most 65536");
		MvcResult notV6 = createPool(admin, "{\"name\":\"v4 prefixes\",\"first\":\"203.0.113.0/24\",\"prefixLength\":\"28\"}");
		assertThat(notV6.getResponse().getContentAsString()).contains("\"field\":\"first\"").contains("IPv6 prefix");

		Plan plan = plans.create(new PlanForm("With a prefix", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0",
				"0", "", "0", "", "", "20", "1", "64"));
		assertThat(plans.view(plan).ipv6Prefixes()).isEqualTo(1);
		long owner = fixtures.customer("prefix-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "prefixed.example.com");
		String engineName = management.owned(owner, veId).getEngineName();
		assertThat(engine.network(engineName).prefixes()).extracting(Object::toString).containsExactly("2001:db8:f1::/64");
		MockHttpSession session = signIn("prefix-owner", PASSWORD);
		String summary = mvc.perform(get("/api/v1/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(summary).contains("\"prefixes\":[\"2001:db8:f1::/64\"]");

		MvcResult added = addAddress(session, veId, "2001:db8:f1::10");
		assertThat(added.getResponse().getStatus()).as(added.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(added.getResponse().getContentAsString()).contains("\"addresses\":[\"2001:db8:f1::10\"]");
		assertThat(engine.network(engineName).addresses()).extracting(VeNetwork::format).containsExactly("2001:db8:f1::10");
		assertThat(addAddress(session, veId, "2001:db8:f1:1::10").getResponse().getContentAsString())
			.contains("\"field\":\"address\"").contains("in none of the prefixes of prefixed.example.com: 2001:db8:f1::/64");
		assertThat(addAddress(session, veId, "2001:db8:f1::10").getResponse().getContentAsString()).contains("already");
		assertThat(addAddress(session, veId, "not-an-address").getResponse().getStatus()).isEqualTo(400);
		long stranger = fixtures.customer("prefix-stranger", PASSWORD, plan, 1);
		assertThat(stranger).isPositive();
		assertThat(addAddress(signIn("prefix-stranger", PASSWORD), veId, "2001:db8:f1::11").getResponse().getStatus())
			.isEqualTo(404);

		assertThat(mvc.perform(delete("/api/v1/admin/ip-pools/" + pool.id()).session(admin).with(csrf())).andReturn()
			.getResponse().getStatus()).as("a pool with a prefix in use stays").isEqualTo(409);
		MvcResult removed = mvc.perform(delete("/api/v1/ves/" + veId + "/addresses/2001:db8:f1::10").session(session)
			.with(csrf())).andReturn();
		assertThat(removed.getResponse().getStatus()).as(removed.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(engine.network(engineName).addresses()).isEmpty();

		Jobs.await(management, owner, management.destroy(owner, veId, "prefixed.example.com").id());
		assertThat(pools.all().stream().filter(p -> p.name().equals("v6 prefixes")).findFirst().orElseThrow().used())
			.as("back in the pool").isZero();
		pools.delete(pool.id());
	}
}
