// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.JobView;
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

/** A customer's snapshots through the API and the page, on the real engine: the plan's allowance, rollback, audit. */
class SnapshotDeskTests extends PanelTest {

	private static final String PASSWORD = "Snapshot-Desk-Secret-7";

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	PlanCatalog plans;

	@Autowired
	AuditLog audit;

	@Autowired
	Fixtures fixtures;

	private String sh(long owner, long veId, String script) throws Exception {
		Process p = engine.exec(management.owned(owner, veId).getEngineName(), List.of("sh", "-c", script))
			.redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		return out;
	}

	private JobView job(long owner, MvcResult result) throws Exception {
		assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
		String json = result.getResponse().getContentAsString();
		return Jobs.await(management, owner, Long.parseLong(json.replaceAll("(?s).*?\"id\":(\\d+).*", "$1")));
	}

	private MvcResult take(MockHttpSession session, long veId, String name) throws Exception {
		return mvc.perform(post("/api/v1/ves/" + veId + "/snapshots").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + name + "\"}")).andReturn();
	}

	@Test
	void aCustomerTakesSnapshotsWithinThePlanRollsBackAndDeletesThem() throws Exception {
		Plan plan = plans.create(new PlanForm("Snapshots", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0",
				"0", "", "2", "", ""));
		long owner = fixtures.customer("sn-owner", PASSWORD, plan, 2);
		long veId = fixtures.ve(owner, plan, "snaps.example.com");
		MockHttpSession session = signIn("sn-owner", PASSWORD);
		sh(owner, veId, "echo v1 > /root/config");

		assertThat(job(owner, take(session, veId, "first")).state()).isEqualTo("succeeded");
		sh(owner, veId, "echo v2 > /root/config; rm -f /etc/profile");
		assertThat(job(owner, take(session, veId, "second")).state()).isEqualTo("succeeded");
		String list = mvc.perform(get("/api/v1/ves/" + veId + "/snapshots").session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(list).contains("\"name\":\"first\"").contains("\"name\":\"second\"").contains("\"frozenMillis\"");

		// the plan keeps two; a bad name and a taken one are refused by field, nothing is started
		MvcResult third = take(session, veId, "third");
		assertThat(third.getResponse().getStatus()).isEqualTo(400);
		assertThat(third.getResponse().getContentAsString()).contains("\"field\":\"name\"").contains("keeps 2 snapshots");
		MvcResult bad = take(session, veId, "../etc");
		assertThat(bad.getResponse().getStatus()).isEqualTo(400);
		assertThat(bad.getResponse().getContentAsString()).contains("\"field\":\"name\"");

		// a rollback needs the host name typed; then the files are what they were and the VE runs again
		MvcResult unconfirmed = mvc.perform(post("/api/v1/ves/" + veId + "/snapshots/first/rollback").session(session)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn();
		assertThat(unconfirmed.getResponse().getStatus()).isEqualTo(400);
		assertThat(unconfirmed.getResponse().getContentAsString()).contains("\"field\":\"confirmation\"");
		assertThat(job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/snapshots/first/rollback").session(session)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"confirmation\":\"snaps.example.com\"}"))
			.andReturn()).state()).isEqualTo("succeeded");
		assertThat(sh(owner, veId, "cat /root/config; test -f /etc/profile && echo profile")).isEqualTo("v1\nprofile\n");
		assertThat(mvc.perform(get("/api/v1/ves/" + veId).session(session)).andReturn().getResponse().getContentAsString())
			.contains("running");

		// the page shows them, the allowance and their space
		String page = mvc.perform(get("/customer/ves/" + veId + "/snapshots").session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(page).contains("first").contains("second").contains("Your plan keeps <strong>2</strong>");

		assertThat(mvc.perform(post("/api/v1/ves/" + veId + "/snapshots/nope/rollback").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"confirmation\":\"snaps.example.com\"}")).andReturn()
			.getResponse().getStatus()).isEqualTo(404);
		assertThat(job(owner, mvc.perform(delete("/api/v1/ves/" + veId + "/snapshots/second").session(session)
			.with(csrf())).andReturn()).state()).isEqualTo("succeeded");
		assertThat(engine.snapshots().list(management.owned(owner, veId).getEngineName()))
			.extracting(org.cairn.engine.VeSnapshots.Snapshot::name).containsExactly("first");

		// another customer sees none of it
		long stranger = fixtures.customer("sn-stranger", PASSWORD, plan, 1);
		MockHttpSession other = signIn("sn-stranger", PASSWORD);
		assertThat(stranger).isPositive();
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/snapshots").session(other)).andReturn().getResponse()
			.getStatus()).isEqualTo(404);
		assertThat(take(other, veId, "mine").getResponse().getStatus()).isEqualTo(404);

		assertThat(audit.find(new AuditFilter("sn-owner", "SNAPSHOT_CREATE", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSize(2);
		assertThat(audit.find(new AuditFilter("sn-owner", "SNAPSHOT_ROLLBACK", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSize(1);
		assertThat(audit.find(new AuditFilter("sn-owner", "SNAPSHOT_DELETE", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSize(1);
	}

	@Test
	void aPlanWithoutSnapshotsOffersNone() throws Exception {
		Plan plan = fixtures.plan("No snapshots", "0", "");
		long owner = fixtures.customer("sn-none", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "plain.example.com");
		MvcResult refused = take(signIn("sn-none", PASSWORD), veId, "first");
		assertThat(refused.getResponse().getStatus()).isEqualTo(400);
		assertThat(refused.getResponse().getContentAsString()).contains("includes no snapshots");
		assertThat(owner).isPositive();
	}
}
