// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Suspending a customer freezes their VEs and unsuspending thaws them; terminating destroys them. */
class CustomerLifecycleTests extends PanelTest {

	@Autowired
	org.cairn.panel.usage.UsageSampler usage;

	private static final String PASSWORD = "Granite-Lifecycle-Secret-6";

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

	private long ve(long owner, Plan plan, String hostname) {
		JobView job = management.create(owner, new NewVeForm(plan.getId(), "busybox", hostname, "Root-Pass-For-Ve-7", null));
		assertThat(Jobs.await(management, owner, job.id()).state()).isEqualTo("succeeded");
		return job.veId();
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean canSignIn(String username) throws Exception {
		MvcResult result = mvc.perform(formLogin("/login").user(username).password(PASSWORD)).andReturn();
		return !result.getResponse().getRedirectedUrl().contains("/login");
	}

	@Test
	void suspendFreezesUnsuspendThawsAndTerminateDestroys() throws Exception {
		Plan plan = plans.create(new PlanForm("Lifecycle", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "1",
				"", "0", "", ""));
		long owner = accounts.create(new NewUser("life-cust", "life@example.com", Role.CUSTOMER, PASSWORD)).account()
			.getId();
		holdings.set(owner, new HoldingsForm(List.of(plan.getId()), "3", "", "", ""));
		long running = ve(owner, plan, "run.example.com");
		long frozenByOwner = ve(owner, plan, "own.example.com");
		management.act(owner, frozenByOwner, "suspend");
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		// the admin's node page and API list every VE with its owner and live state
		assertThat(mvc.perform(get("/admin/node").session(admin)).andReturn().getResponse().getContentAsString())
			.contains("run.example.com").contains("life-cust").contains("Lifecycle");
		usage.sampleAll();
		String listed = mvc.perform(get("/api/v1/admin/ves").session(admin)).andReturn().getResponse().getContentAsString();
		assertThat(listed).contains("\"hostname\":\"run.example.com\",\"owner\":\"life-cust\",\"plan\":\"Lifecycle\","
				+ "\"state\":\"running\"").contains("\"hostname\":\"own.example.com\"")
			.as("memory in use from the last sample").containsPattern("\"hostname\":\"run.example.com\"[^}]*\"memoryBytes\":[1-9]");
		assertThat(mvc.perform(get("/api/v1/admin/node").session(admin)).andReturn().getResponse().getContentAsString())
			.contains("\"soldMemoryBytes\":").contains("\"memoryRatio\":");
		// the support desk finds a customer's VEs by host name or by the customer's e-mail
		accounts.create(new NewUser("life-support", "desk@example.com", Role.SUPPORT, PASSWORD));
		MockHttpSession desk = signIn("life-support", PASSWORD);
		assertThat(mvc.perform(get("/support").param("q", "run.example").session(desk)).andReturn().getResponse()
			.getContentAsString()).contains("run.example.com").doesNotContain("own.example.com");
		assertThat(mvc.perform(get("/support").param("q", "life@example.com").session(desk)).andReturn().getResponse()
			.getContentAsString()).contains("run.example.com").contains("own.example.com");

		assertThat(mvc.perform(post("/api/v1/admin/customers/" + owner + "/suspend").session(admin).with(csrf()))
			.andReturn().getResponse().getStatus()).isEqualTo(204);
		assertThat(management.get(owner, running).state()).isEqualTo("suspended");
		assertThat(canSignIn("life-cust")).isFalse();

		assertThat(mvc.perform(post("/api/v1/admin/customers/" + owner + "/unsuspend").session(admin).with(csrf()))
			.andReturn().getResponse().getStatus()).isEqualTo(204);
		assertThat(management.get(owner, running).state()).isEqualTo("running");
		assertThat(management.get(owner, frozenByOwner).state()).as("the owner's own suspension stays").isEqualTo(
				"suspended");
		assertThat(canSignIn("life-cust")).isTrue();

		MvcResult unconfirmed = mvc.perform(post("/api/v1/admin/customers/" + owner + "/terminate").session(admin)
			.with(csrf())).andReturn();
		assertThat(unconfirmed.getResponse().getStatus()).isEqualTo(400);
		assertThat(unconfirmed.getResponse().getContentAsString()).contains("type the customer's user name");
		assertThat(management.of(owner)).hasSize(2);

		MvcResult terminated = mvc.perform(post("/api/v1/admin/customers/" + owner + "/terminate").param("confirm",
				"life-cust").session(admin).with(csrf())).andReturn();
		assertThat(terminated.getResponse().getStatus()).isEqualTo(202);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!management.of(owner).isEmpty()) {
			assertThat(System.nanoTime()).as("the VEs are destroyed").isLessThan(deadline);
			sleep();
		}
		assertThat(engine.list()).noneMatch(s -> s.hostname().equals("run.example.com") || s.hostname().equals("own.example.com"));
		assertThat(accounts.get(owner).isSuspended()).isTrue();
	}

	@Test
	void aSuspensionThatFailsHalfWayChangesNothingAndSaysWhich() throws Exception {
		Path freezer = Path.of("/sys/fs/cgroup/freezer");
		org.junit.jupiter.api.Assumptions.assumeTrue(engine.cgroupVersion().equals("v1") && Files.isDirectory(freezer),
				"the fault is made in a v1 freezer hierarchy (this build machine's)");
		Plan plan = plans.create(new PlanForm("Half way", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "1",
				"", "0", "", ""));
		long owner = accounts.create(new NewUser("half-cust", "half@example.com", Role.CUSTOMER, PASSWORD)).account()
			.getId();
		holdings.set(owner, new HoldingsForm(List.of(plan.getId()), "3", "", "", ""));
		long first = ve(owner, plan, "first.example.com");
		long second = ve(owner, plan, "second.example.com");
		// a fault the kernel makes: the second VE's freezer cgroup is gone (its processes moved to the parent)
		Path parent = freezer.resolve(org.cairn.panel.PanelEngine.shared().settings.cgroupParent());
		Path cgroup = parent.resolve(management.owned(owner, second).getEngineName());
		for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
			Files.writeString(parent.resolve("cgroup.procs"), pid);
		}
		Files.delete(cgroup);
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		MvcResult refused = mvc.perform(post("/api/v1/admin/customers/" + owner + "/suspend").session(admin).with(csrf()))
			.andReturn();
		assertThat(refused.getResponse().getStatus()).isEqualTo(400);
		assertThat(refused.getResponse().getContentAsString()).contains("second.example.com could not be frozen")
			.contains("nothing was suspended");
		assertThat(management.get(owner, first).state()).as("the first VE was thawed again").isEqualTo("running");
		assertThat(canSignIn("half-cust")).as("the account is not suspended").isTrue();
		assertThat(accounts.get(owner).isSuspended()).isFalse();
		// the VE without its freezer cgroup cannot be killed through it: its init ends its pid namespace
		String broken = management.owned(owner, second).getEngineName();
		engine.status(broken).initPid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		engine.destroy(broken);
	}
}
