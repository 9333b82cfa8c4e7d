// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.network.IpPool;
import org.cairn.panel.network.IpPools;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.Jobs;
import org.cairn.panel.ve.VeManagement;
import org.cairn.panel.ve.VeSummary;
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
 * PTR records through the API into the tests' own PowerDNS, read back with dig: set when the name resolves back
 * (the forward names live in a zone of that server), refused when it does not, for addresses of the VE and of its
 * prefix only; gone when the VE goes.
 */
class PtrDeskTests extends PanelTest {

	private static final String PASSWORD = "Reverse-Dns-Secret-6";

	@Autowired
	PtrDesk desk;

	@Autowired
	ReverseDns dns;

	@Autowired
	IpPools pools;

	@Autowired
	PlanCatalog plans;

	@Autowired
	VeManagement management;

	@Autowired
	Fixtures fixtures;

	@Autowired
	AuditLog audit;

	private String dig(String address) throws Exception {
		String[] at = desk.managedListen().orElseThrow().split(":");
		Process dig = new ProcessBuilder("dig", "+short", "+time=2", "+tries=1", "-p", at[1], "@" + at[0], "-x", address)
			.redirectErrorStream(true).start();
		String out = new String(dig.getInputStream().readAllBytes()).strip();
		dig.waitFor();
		return out;
	}

	private MvcResult setPtr(MockHttpSession session, long veId, String address, String name) throws Exception {
		return mvc.perform(put("/api/v1/ves/" + veId + "/ptr/" + address).session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + name + "\"}")).andReturn();
	}

	private MvcResult setPtrCheck(MockHttpSession admin, IpPool pool, boolean on) throws Exception {
		return mvc.perform(put("/api/v1/admin/ip-pools/" + pool.id() + "/ptr-check").session(admin).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"ptrCheck\":" + on + "}")).andReturn();
	}

	/** No later test gets this test's addresses. */
	private void deletePools(String... names) {
		for (String name : names) {
			pools.all().stream().filter(p -> p.name().equals(name)).forEach(p -> pools.delete(p.id()));
		}
	}

	private static boolean within(String address, IpPool pool) {
		java.math.BigInteger at = number(address);
		return at.compareTo(number(pool.first())) >= 0 && at.compareTo(number(pool.last())) <= 0;
	}

	private static java.math.BigInteger number(String address) {
		return new java.math.BigInteger(1, java.net.InetAddress.ofLiteral(address).getAddress());
	}

	@Test
	void aCustomerNamesTheirAddressesAndOnlyWithNamesThatResolveBack() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"ptr v4\",\"first\":\"192.0.2.200\",\"last\":\"192.0.2.203\"}"));
		mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"ptr v6\",\"first\":\"2001:db8:f3::/60\",\"prefixLength\":\"64\"}"));
		Plan plan = plans.create(new PlanForm("Named", "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "0", "0", "",
				"0", "", "", "20", "1", "64"));
		long owner = fixtures.customer("ptr-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "named.example.com");
		VeSummary ve = management.get(owner, veId);
		String v4 = ve.addresses().get(0);
		String inPrefix = ve.prefixes().get(0).replace("::/64", "::5");
		PowerDns client = dns.client();
		client.ensureZone("example.test.", "ns.cairn.invalid.");
		client.setRecord("example.test.", "web.example.test.", "A", v4);
		client.setRecord("example.test.", "v6.example.test.", "AAAA", inPrefix);
		client.setRecord("example.test.", "elsewhere.example.test.", "A", "192.0.2.1");
		MockHttpSession session = signIn("ptr-owner", PASSWORD);

		MvcResult set = setPtr(session, veId, v4, "Web.Example.Test.");
		assertThat(set.getResponse().getStatus()).as(set.getResponse().getContentAsString()).isEqualTo(200);
		assertThat(set.getResponse().getContentAsString()).isEqualTo("{\"address\":\"" + v4 + "\",\"name\":\"web.example.test\"}");
		assertThat(dig(v4)).isEqualTo("web.example.test.");
		assertThat(setPtr(session, veId, inPrefix, "v6.example.test").getResponse().getStatus()).isEqualTo(200);
		assertThat(dig(inPrefix)).as("an address of its prefix, on no interface").isEqualTo("v6.example.test.");

		// whichever pool the address came from checks names (another test's pool may not)
		IpPool v4Pool = pools.all().stream().filter(p -> p.family() == 4 && within(v4, p)).findFirst().orElseThrow();
		setPtrCheck(admin, v4Pool, true);
		MvcResult unresolved = setPtr(session, veId, v4, "nowhere.example.test");
		assertThat(unresolved.getResponse().getStatus()).isEqualTo(400);
		assertThat(unresolved.getResponse().getContentAsString()).contains("\"field\":\"name\"")
			.contains("nowhere.example.test does not resolve to " + v4 + " (it has no A record)");
		assertThat(setPtr(session, veId, v4, "elsewhere.example.test").getResponse().getContentAsString())
			.contains("it resolves to 192.0.2.1");
		assertThat(dig(v4)).as("the refused names changed nothing").isEqualTo("web.example.test.");
		assertThat(setPtr(session, veId, "192.0.2.1", "web.example.test").getResponse().getContentAsString())
			.contains("\"field\":\"address\"").contains("not an address of named.example.com");
		assertThat(setPtr(session, veId, v4, "not a name!").getResponse().getContentAsString()).contains("\"field\":\"name\"");
		long stranger = fixtures.customer("ptr-stranger", PASSWORD, plan, 1);
		assertThat(stranger).isPositive();
		assertThat(setPtr(signIn("ptr-stranger", PASSWORD), veId, v4, "web.example.test").getResponse().getStatus())
			.isEqualTo(404);
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/ptr").session(session)).andReturn().getResponse()
			.getContentAsString()).contains("{\"address\":\"" + v4 + "\",\"name\":\"web.example.test\"}")
			.contains("{\"address\":\"" + inPrefix + "\",\"name\":\"v6.example.test\"}");

		// the admin lets the pool's names go unchecked (and checks them again, for the tests after this one)
		assertThat(setPtrCheck(admin, v4Pool, false).getResponse().getContentAsString()).contains("\"ptrCheck\":false");
		try {
			assertThat(setPtr(session, veId, v4, "unchecked.example.org").getResponse().getStatus()).isEqualTo(200);
			assertThat(dig(v4)).isEqualTo("unchecked.example.org.");
		}
		finally {
			setPtrCheck(admin, v4Pool, true);
		}
		assertThat(setPtr(session, veId, v4, "unchecked.example.org").getResponse().getStatus()).isEqualTo(400);

		assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.delete("/api/v1/ves/" + veId + "/ptr/" + inPrefix).session(session).with(csrf())).andReturn().getResponse()
			.getStatus()).isEqualTo(204);
		assertThat(dig(inPrefix)).isEmpty();
		assertThat(audit.find(new AuditFilter("ptr-owner", "PTR_SET", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSizeGreaterThanOrEqualTo(2);
		assertThat(audit.find(new AuditFilter("ptr-owner", "PTR_SET", Outcome.FAILURE, null, null), 0).getContent())
			.hasSizeGreaterThanOrEqualTo(2);

		// the VE goes: its records go
		Jobs.await(management, owner, management.destroy(owner, veId, "named.example.com").id());
		desk.sweep();
		assertThat(dig(v4)).isEmpty();
		deletePools("ptr v4", "ptr v6");
	}
}
