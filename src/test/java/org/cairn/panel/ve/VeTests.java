// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cairn.engine.VeEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.customer.CustomerHoldings;
import org.cairn.panel.customer.HoldingsForm;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Customers' VEs through the API and pages, on the real engine: their life, their owners only, the quota. */
class VeTests extends PanelTest {

	private static final String PASSWORD = "Granite-Alpine-Secret-3";

	@Autowired
	AccountManagement accounts;

	@Autowired
	PlanCatalog plans;

	@Autowired
	CustomerHoldings holdings;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	private long customer(String name, Plan plan, int maxVes) {
		long id = accounts.create(new NewUser(name, name + "@example.com", Role.CUSTOMER, PASSWORD)).account().getId();
		holdings.set(id, new HoldingsForm(List.of(plan.getId()), Integer.toString(maxVes), "", "", ""));
		return id;
	}

	private Plan plan(String name, String disk) {
		return plans.create(new PlanForm(name, "64M", "0", "1", "", "100", "128", disk, "", "", "", "0", "0", "1", "", "0", "", ""));
	}

	private JobView await(long owner, long jobId) {
		return Jobs.await(management, owner, jobId);
	}

	private static String body(Plan plan, String hostname) {
		return "{\"plan\":" + plan.getId() + ",\"template\":\"busybox\",\"hostname\":\"" + hostname
				+ "\",\"rootPassword\":\"Root-Pass-For-Ve-1\"}";
	}

	private long id(MvcResult result) throws Exception {
		String json = result.getResponse().getContentAsString();
		return Long.parseLong(json.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
	}

	@Test
	void aCustomerCreatesUsesAndDestroysAVeThroughTheApi() throws Exception {
		Plan plan = plan("VE life", "");
		long owner = customer("ve-life", plan, 3);
		MockHttpSession session = signIn("ve-life", PASSWORD);
		MvcResult created = mvc.perform(post("/api/v1/ves").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(body(plan, "web.example.com"))).andReturn();
		assertThat(created.getResponse().getStatus()).isEqualTo(202);
		assertThat(created.getResponse().getHeader("Location")).startsWith("/api/v1/jobs/");
		JobView job = await(owner, id(created));
		assertThat(job.state()).as(String.valueOf(job.error())).isEqualTo("succeeded");
		long veId = job.veId();
		assertThat(mvc.perform(get("/api/v1/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString()).contains("\"hostname\":\"web.example.com\"").contains("\"state\":\"running\"");
		assertThat(mvc.perform(get("/customer").session(session)).andReturn().getResponse().getContentAsString())
			.contains("web.example.com").contains("running");

		String suspended = mvc.perform(post("/api/v1/ves/" + veId + "/actions/suspend").session(session).with(csrf()))
			.andReturn().getResponse().getContentAsString();
		assertThat(suspended).contains("\"state\":\"suspended\"");
		mvc.perform(post("/api/v1/ves/" + veId + "/actions/resume").session(session).with(csrf()));
		MvcResult stop = mvc.perform(post("/api/v1/ves/" + veId + "/actions/stop").session(session).with(csrf()))
			.andReturn();
		assertThat(stop.getResponse().getStatus()).isEqualTo(202);
		assertThat(await(owner, id(stop)).state()).isEqualTo("succeeded");
		assertThat(management.get(owner, veId).state()).isEqualTo("stopped");
		mvc.perform(post("/api/v1/ves/" + veId + "/actions/start").session(session).with(csrf()));
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/usage").session(session)).andReturn().getResponse()
			.getContentAsString()).contains("\"memoryBytes\":");
		MvcResult bogus = mvc.perform(post("/api/v1/ves/" + veId + "/actions/explode").session(session).with(csrf()))
			.andReturn();
		assertThat(bogus.getResponse().getStatus()).isEqualTo(400);
		assertThat(bogus.getResponse().getContentAsString()).contains("\"field\":\"action\"");

		MvcResult unconfirmed = mvc.perform(delete("/api/v1/ves/" + veId).session(session).with(csrf())).andReturn();
		assertThat(unconfirmed.getResponse().getStatus()).isEqualTo(400);
		assertThat(unconfirmed.getResponse().getContentAsString()).contains("type the VE's host name");
		MvcResult destroyed = mvc.perform(delete("/api/v1/ves/" + veId).param("confirm", "web.example.com")
			.session(session).with(csrf())).andReturn();
		assertThat(destroyed.getResponse().getStatus()).isEqualTo(202);
		assertThat(await(owner, id(destroyed)).state()).isEqualTo("succeeded");
		assertThat(mvc.perform(get("/api/v1/ves/" + veId).session(session)).andReturn().getResponse().getStatus())
			.isEqualTo(404);
		assertThat(engine.list()).noneMatch(s -> s.hostname().equals("web.example.com"));
	}

	@Test
	void aVeDestroyedFromTheCommandLineShowsAsGoneAndItsOwnerCanRemoveIt() throws Exception {
		Plan plan = plan("VE gone", "");
		long owner = customer("ve-gone", plan, 1);
		long veId = await(owner, management.create(owner, new NewVeForm(plan.getId(), "busybox", "gone.example.com",
				"Root-Pass-For-Ve-5", null)).id()).veId();
		engine.destroy(management.owned(owner, veId).getEngineName());
		MockHttpSession session = signIn("ve-gone", PASSWORD);
		assertThat(mvc.perform(get("/api/v1/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString()).contains("\"state\":\"gone\"");
		assertThat(mvc.perform(get("/customer").session(session)).andReturn().getResponse().getContentAsString())
			.contains("gone.example.com").contains("gone");
		MvcResult removed = mvc.perform(delete("/api/v1/ves/" + veId).param("confirm", "gone.example.com")
			.session(session).with(csrf())).andReturn();
		assertThat(await(owner, id(removed)).state()).isEqualTo("succeeded");
		assertThat(management.of(owner)).as("its record and quota place are free again").isEmpty();
	}

	@Test
	void anotherCustomerReachesNothingOfAVe() throws Exception {
		Plan plan = plan("VE owner only", "");
		long owner = customer("ve-owner", plan, 1);
		customer("ve-neighbour", plan, 1);
		JobView job = await(owner, management.create(owner, new NewVeForm(plan.getId(), "busybox", "mine.example.com",
				"Root-Pass-For-Ve-2", null)).id());
		long veId = job.veId();
		MockHttpSession neighbour = signIn("ve-neighbour", PASSWORD);
		for (var request : List.of(get("/api/v1/ves/" + veId), get("/api/v1/ves/" + veId + "/usage"),
				post("/api/v1/ves/" + veId + "/actions/stop"), delete("/api/v1/ves/" + veId).param("confirm", "mine.example.com"),
				get("/api/v1/jobs/" + job.id()), get("/customer/ves/" + veId), post("/customer/ves/" + veId + "/actions/stop"),
				post("/customer/ves/" + veId + "/destroy").param("confirmation", "mine.example.com"),
				post("/customer/ves/" + veId + "/hostname").param("hostname", "taken.example.com"),
				post("/customer/ves/" + veId + "/root-access").param("rootPassword", "Stolen-Pass-1"),
				post("/customer/ves/" + veId + "/reinstall").param("template", "busybox").param("rootPassword", "Stolen-Pass-1")
					.param("confirmation", "mine.example.com"),
				post("/api/v1/ves/" + veId + "/actions/reinstall").contentType(MediaType.APPLICATION_JSON)
					.content("{\"template\":\"busybox\",\"rootPassword\":\"Stolen-Pass-1\",\"confirmation\":\"mine.example.com\"}"),
				get("/customer/ves/" + veId + "/backups"), post("/customer/ves/" + veId + "/backups"),
				get("/api/v1/ves/" + veId + "/backups"), post("/api/v1/ves/" + veId + "/backups"),
				get("/api/v1/ves/" + veId + "/restores"))) {
			MvcResult result = mvc.perform(request.session(neighbour).with(csrf())).andReturn();
			assertThat(result.getResponse().getStatus()).as(result.getRequest().getRequestURI()).isEqualTo(404);
		}
		assertThat(mvc.perform(get("/api/v1/ves").session(neighbour)).andReturn().getResponse().getContentAsString())
			.isEqualTo("[]");
		assertThat(management.get(owner, veId).state()).as("nothing changed").isEqualTo("running");
		assertThat(management.get(owner, veId).hostname()).isEqualTo("mine.example.com");
		assertThat(engine.backups().list(management.owned(owner, veId).getEngineName())).isEmpty();
	}

	@Test
	void twentyParallelCreatesAgainstAQuotaOfThreeMakeThree() throws Exception {
		Plan plan = plan("VE quota", "");
		long owner = customer("ve-quota", plan, 3);
		ExecutorService pool = Executors.newFixedThreadPool(20);
		List<Future<JobView>> attempts = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String hostname = "q" + i + ".example.com";
			Callable<JobView> create = () -> management.create(owner,
					new NewVeForm(plan.getId(), "busybox", hostname, "Root-Pass-For-Ve-3", null));
			attempts.add(pool.submit(create));
		}
		List<JobView> made = new ArrayList<>();
		int refused = 0;
		for (Future<JobView> attempt : attempts) {
			try {
				made.add(attempt.get());
			}
			catch (java.util.concurrent.ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(VeException.class).hasMessageContaining("your quota allows 3 VEs");
				refused++;
			}
		}
		pool.shutdown();
		assertThat(made).hasSize(3);
		assertThat(refused).isEqualTo(17);
		for (JobView job : made) {
			assertThat(await(owner, job.id()).state()).isEqualTo("succeeded");
		}
		assertThat(management.of(owner)).hasSize(3).allMatch(v -> v.state().equals("running"));
	}

	@Test
	void badRequestsAreRefusedByNameAndAFailedCreateLeavesNothing() throws Exception {
		Plan plan = plan("VE checks", "");
		Plan huge = plan("VE huge disk", "900T");
		Plan other = plan("VE not held", "");
		long owner = customer("ve-checks", plan, 5);
		holdings.set(owner, new HoldingsForm(List.of(plan.getId(), huge.getId()), "5", "", "", ""));
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(other.getId(), "busybox", "a.example.com",
				"Root-Pass-For-Ve-4", null))).isInstanceOf(VeException.class).extracting("field").isEqualTo("plan");
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(plan.getId(), "windows", "a.example.com",
				"Root-Pass-For-Ve-4", null))).extracting("field").isEqualTo("template");
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(plan.getId(), "busybox", "bad host!",
				"Root-Pass-For-Ve-4", null))).extracting("field").isEqualTo("hostname");
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(plan.getId(), "busybox", "a.example.com", "",
				""))).extracting("field").isEqualTo("rootPassword");
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(plan.getId(), "busybox", "a.example.com", null,
				"not a key"))).extracting("field").isEqualTo("sshKey");
		MockHttpSession session = signIn("ve-checks", PASSWORD);
		assertThat(mvc.perform(post("/customer/ves/new").session(session).with(csrf()).param("plan", "")
			.param("template", "busybox").param("hostname", "a.example.com").param("rootPassword", "x"))
			.andReturn().getResponse().getContentAsString()).contains("choose one of your plans");
		// every field's error at once, beside its field; a long bad value is not echoed whole in a message
		String page = mvc.perform(post("/customer/ves/new").session(session).with(csrf()).param("plan", "")
			.param("template", "windows").param("hostname", "h".repeat(5000) + "!").param("rootPassword", "short-pw")
			.param("sshKey", "ssh-rsa AAAA")).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("choose one of your plans", "choose one of the templates offered", "is not a valid host name",
				"at least 12 characters", "ssh-rsa");
		assertThat(page.split("field-error").length - 1).as("one message beside each of the five fields").isEqualTo(5);
		assertThat(page).doesNotContain("h".repeat(100) + "' is not");
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(plan.getId(), "busybox", "a.example.com", "short",
				null))).extracting("field").isEqualTo("rootPassword");
		assertThat(management.of(owner)).isEmpty();

		// no node has 900 TB to sell: refused before anything is recorded
		assertThatThrownBy(() -> management.create(owner, new NewVeForm(huge.getId(), "busybox", "big.example.com",
				"Root-Pass-For-Ve-4", null))).hasMessageContaining("no node has disk for this plan left")
			.extracting("field").isEqualTo("plan");
		assertThat(management.of(owner)).as("no record left").isEmpty();
		assertThat(engine.list()).noneMatch(s -> s.hostname().equals("big.example.com"));
	}

	@Test
	void aCustomersOperationsOnAStuckVeAreBoundedAndThePanelStaysFree() throws Exception {
		Plan plan = plan("VE stuck", "");
		long owner = customer("ve-stuck", plan, 1);
		long veId = await(owner, management.create(owner, new NewVeForm(plan.getId(), "busybox", "stuck.example.com",
				"Root-Pass-For-Ve-9", null)).id()).veId();
		String name = management.owned(owner, veId).getEngineName();
		// an /etc/hosts of 100 million lines: each rename reads it for many seconds
		Process slow = engine.exec(name, List.of("/bin/sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' '\\n' > /etc/hosts"))
			.start();
		assertThat(slow.waitFor()).isZero();
		// renames are jobs: each request answers at once; past the customer's 8 operations under way, 429
		List<JobView> accepted = new java.util.ArrayList<>();
		int refused = 0;
		for (int i = 0; i < 12; i++) {
			long t0 = System.nanoTime();
			try {
				accepted.add(management.rename(owner, veId, "stuck" + i + ".example.com"));
			}
			catch (VeException ex) {
				assertThat(ex.status().value()).isEqualTo(429);
				refused++;
			}
			assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(2));
		}
		assertThat(refused).as("renames past the customer's 8 operations under way").isEqualTo(4);
		Thread.sleep(1500);
		// meanwhile the panel answers others at once
		long t0 = System.nanoTime();
		assertThat(mvc.perform(get("/login")).andReturn().getResponse().getStatus()).isEqualTo(200);
		assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(2));
		// the admin's stop wins over the renames at work and waiting, and ends them
		long stop0 = System.nanoTime();
		engine.stop(name, java.time.Duration.ofSeconds(5));
		assertThat(java.time.Duration.ofNanos(System.nanoTime() - stop0)).isLessThan(java.time.Duration.ofSeconds(20));
		for (JobView job : accepted) {
			await(owner, job.id());
		}
		assertThat(mvc.perform(post("/api/v1/ves/" + veId + "/actions/start").session(signIn("ve-stuck", PASSWORD))
			.with(csrf())).andReturn().getResponse().getStatus()).as("the places are free again").isEqualTo(200);
	}

	@Test
	void theVesPageOffersWhatItsStateAllowsAndSizesReadAsPeopleReadThem() throws Exception {
		Plan plan = plan("VE buttons", "");
		long owner = customer("ve-buttons", plan, 1);
		long veId = await(owner, management.create(owner, new NewVeForm(plan.getId(), "busybox", "buttons.example.com",
				"Root-Pass-For-Ve-5", null)).id()).veId();
		MockHttpSession session = signIn("ve-buttons", PASSWORD);
		String running = mvc.perform(get("/customer/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(running).contains("id=\"action-stop\"", "id=\"action-suspend\"").doesNotContain("id=\"action-start\"")
			.doesNotContain("id=\"action-resume\"");
		management.act(owner, veId, "suspend");
		String suspended = mvc.perform(get("/customer/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(suspended).contains("id=\"action-resume\"").doesNotContain("id=\"action-suspend\"")
			.doesNotContain("id=\"action-start\"");
		management.act(owner, veId, "resume");
		assertThat(mvc.perform(get("/customer").session(session)).andReturn().getResponse().getContentAsString())
			.contains("<th>Addresses</th>");
		org.cairn.panel.system.Sizes sizes = new org.cairn.panel.system.Sizes();
		assertThat(sizes.text(300 * 1024)).isEqualTo("300 KB");
		assertThat(sizes.text(1000)).isEqualTo("1 KB");
		assertThat(sizes.text(64L << 20)).isEqualTo("64 MB");
		assertThat(sizes.text(3L << 30)).isEqualTo("3072 MB");
		assertThat(sizes.text(20L << 30)).isEqualTo("20.0 GB");
	}
}
