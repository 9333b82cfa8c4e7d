// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.customer.CustomerHoldings;
import org.cairn.panel.customer.HoldingsForm;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.NewVeForm;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Address pools: ranges checked by name, addresses handed out once under concurrency and back at destroy. */
class IpPoolTests extends PanelTest {

	private static final String PASSWORD = "Granite-Pools-Secret-5";

	@Autowired
	IpPools pools;

	@Autowired
	PlanCatalog plans;

	@Autowired
	AccountManagement accounts;

	@Autowired
	CustomerHoldings holdings;

	@Autowired
	VeManagement management;

	private MvcResult createPool(MockHttpSession admin, String name, String first, String last) throws Exception {
		return mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\",\"first\":\"" + first + "\",\"last\":\"" + last
					+ "\",\"nameservers\":\"192.0.2.53\"}")).andReturn();
	}

	private long free(int family) {
		return pools.all().stream().filter(p -> p.family() == family && !p.handsOutPrefixes())
			.mapToLong(p -> p.size() - p.used())
			.sum();
	}

	private JobView await(long owner, JobView job) {
		return org.cairn.panel.ve.Jobs.await(management, owner, job.id());
	}

	@Test
	void aPoolGivenAsAPrefixNeverHandsOutItsNetworkOrBroadcastAddress() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		assertThat(createPool(admin, "cidr v4", "203.0.113.16/28", "").getResponse().getStatus()).isEqualTo(201);
		IpPool v4 = pools.all().stream().filter(p -> p.name().equals("cidr v4")).findFirst().orElseThrow();
		assertThat(v4.first()).isEqualTo("203.0.113.17");
		assertThat(v4.last()).isEqualTo("203.0.113.30");
		assertThat(createPool(admin, "cidr v6", "2001:db8:77::/125", "").getResponse().getStatus()).isEqualTo(201);
		IpPool v6 = pools.all().stream().filter(p -> p.name().equals("cidr v6")).findFirst().orElseThrow();
		assertThat(v6.first()).isEqualTo("2001:db8:77::1");
		assertThat(v6.last()).isEqualTo("2001:db8:77::7");
		assertThat(IpPools.usable("203.0.113.40/31")).extracting(a -> a.getHostAddress()).containsExactly("203.0.113.40",
				"203.0.113.41");
		MvcResult misaligned = createPool(admin, "cidr bad", "203.0.113.33/28", "");
		assertThat(misaligned.getResponse().getStatus()).isEqualTo(400);
		assertThat(misaligned.getResponse().getContentAsString()).contains("\"field\":\"first\"")
			.contains("starts at 203.0.113.32");
		assertThat(createPool(admin, "cidr and last", "203.0.113.48/28", "203.0.113.50").getResponse()
			.getContentAsString()).contains("\"field\":\"last\"");
		// the other tests of this class count on their own pools alone
		for (IpPool pool : List.of(v4, v6)) {
			assertThat(mvc.perform(delete("/api/v1/admin/ip-pools/" + pool.id()).session(admin).with(csrf())).andReturn()
				.getResponse().getStatus()).isEqualTo(204);
		}
	}

	@Test
	void addressesGoToOneVeEachUnderConcurrencyAndComeBackAtDestroy() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		for (String[] bad : List.of(new String[] { "bad v4", "198.51.100.60", "198.51.100.59", "last" },
				new String[] { "mixed", "198.51.100.60", "2001:db8::60", "last" },
				new String[] { "loop", "127.0.0.1", "127.0.0.2", "first" },
				new String[] { "huge", "10.0.0.0", "10.1.0.0", "last" },
				new String[] { "junk", "not-an-address", "198.51.100.61", "first" })) {
			MvcResult refused = createPool(admin, bad[0], bad[1], bad[2]);
			assertThat(refused.getResponse().getStatus()).as(bad[0]).isEqualTo(400);
			assertThat(refused.getResponse().getContentAsString()).as(bad[0]).contains("\"field\":\"" + bad[3] + "\"");
		}
		assertThat(createPool(admin, "v4", "198.51.100.50", "198.51.100.51").getResponse().getStatus()).isEqualTo(201);
		assertThat(createPool(admin, "v6", "2001:db8::50", "2001:db8::57").getResponse().getStatus()).isEqualTo(201);
		assertThat(createPool(admin, "overlap", "198.51.100.51", "198.51.100.52").getResponse().getContentAsString())
			.contains("overlaps another pool");

		// the tests share one database: a pool another test left may hold free addresses too
		long free = Math.min(free(4), free(6));
		Plan plan = plans.create(new PlanForm("Pooled", "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "1", "1", "", "0", "", ""));
		long owner = accounts.create(new NewUser("pool-user", "pool@example.com", Role.CUSTOMER, PASSWORD)).account().getId();
		holdings.set(owner, new HoldingsForm(List.of(plan.getId()), "10", "", "", ""));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<JobView>> attempts = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String hostname = "p" + i + ".example.com";
			attempts.add(threads.submit(() -> management.create(owner,
					new NewVeForm(plan.getId(), "busybox", hostname, "Root-Pass-For-Ve-8", null))));
		}
		List<JobView> made = new ArrayList<>();
		for (Future<JobView> attempt : attempts) {
			try {
				made.add(attempt.get());
			}
			catch (java.util.concurrent.ExecutionException ex) {
				// refused where the node is chosen, or by the pool when another create took the last one meanwhile
				assertThat(ex.getCause()).isInstanceOf(org.cairn.panel.system.InputException.class)
					.hasMessageContaining("free IPv4 address");
			}
		}
		threads.shutdown();
		assertThat(made).hasSize((int) Math.min(4, free));
		for (JobView job : made) {
			assertThat(await(owner, job).state()).isEqualTo("succeeded");
		}
		List<String> given = management.of(owner).stream().flatMap(v -> v.addresses().stream()).toList();
		assertThat(given).hasSize(2 * made.size()).doesNotHaveDuplicates();
		if (free == 2) {
			assertThat(given).contains("198.51.100.50", "198.51.100.51");
		}
		long first = made.get(0).veId();
		assertThat(management.get(owner, first).state()).isEqualTo("running");

		MvcResult inUse = mvc.perform(delete("/api/v1/admin/ip-pools/" + pools.all().stream()
			.filter(p -> p.name().equals("v4")).findFirst().orElseThrow().id()).session(admin).with(csrf())).andReturn();
		assertThat(inUse.getResponse().getStatus()).isEqualTo(409);

		List<String> freed = management.get(owner, first).addresses();
		await(owner, management.destroy(owner, first, management.get(owner, first).hostname()));
		JobView again = await(owner, management.create(owner, new NewVeForm(plan.getId(), "busybox", "again.example.com",
				"Root-Pass-For-Ve-8", null)));
		assertThat(again.state()).isEqualTo("succeeded");
		assertThat(management.get(owner, again.veId()).addresses()).as("the freed addresses are handed out again")
			.containsAnyElementsOf(freed);
	}
}
