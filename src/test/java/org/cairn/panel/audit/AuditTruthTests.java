// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.plan.Plan;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** The audit log says what happened: an outcome known after the fact, from a fixed set of action names. */
class AuditTruthTests extends PanelTest {

	private static final String PASSWORD = "Quartz-Ledger-Honest-31";

	@Autowired
	Fixtures fixtures;

	@Autowired
	AuditLog audit;

	@Test
	void anUnknownActionIsRefusedAndRecordedAsRefused() throws Exception {
		Plan plan = fixtures.plan("Audit plan", "0", "");
		long owner = fixtures.customer("audit-truth", PASSWORD, plan, 1);
		long ve = fixtures.ve(owner, plan, "truth.example.com");
		MockHttpSession session = signIn("audit-truth", PASSWORD);
		for (String action : new String[] { "destroy_everything", "x".repeat(80) }) {
			MvcResult refused = mvc.perform(post("/api/v1/ves/" + ve + "/actions/" + action).session(session).with(csrf()))
				.andReturn();
			assertThat(refused.getResponse().getStatus()).isEqualTo(400);
			assertThat(refused.getResponse().getContentType()).startsWith("application/problem+json");
			assertThat(refused.getResponse().getContentAsString()).contains("\"field\":\"action\"")
				.as("a long value is not echoed whole in the message")
				.doesNotContainPattern("detail[^,]*x{41}");
		}
		assertThat(audit.find(new AuditFilter("audit-truth", "VE_ACTION", Outcome.FAILURE, null, null), 0).getContent())
			.hasSize(2);
		assertThat(audit.find(new AuditFilter("audit-truth", null, Outcome.SUCCESS, null, null), 0).getContent())
			.extracting(AuditEntry::getAction)
			.as("nothing refused is recorded as done")
			.noneMatch(action -> action.startsWith("VE_DESTROY_EVERYTHING") || action.startsWith("VE_XXX"));

		// a real action, once done
		MvcResult suspended = mvc.perform(post("/api/v1/ves/" + ve + "/actions/suspend").session(session).with(csrf()))
			.andReturn();
		assertThat(suspended.getResponse().getStatus()).isEqualTo(200);
		assertThat(audit.find(new AuditFilter("audit-truth", "VE_SUSPEND", Outcome.SUCCESS, null, null), 0).getContent())
			.hasSize(1);
		// and refused by the engine (already suspended): recorded as failed, in the customer's terms
		MvcResult again = mvc.perform(post("/api/v1/ves/" + ve + "/actions/suspend").session(session).with(csrf()))
			.andReturn();
		assertThat(again.getResponse().getStatus()).isEqualTo(400);
		assertThat(again.getResponse().getContentAsString()).contains("truth.example.com")
			.doesNotContainPattern("\\bve[0-9a-f]{10}\\b");
		assertThat(audit.find(new AuditFilter("audit-truth", "VE_SUSPEND", Outcome.FAILURE, null, null), 0).getContent())
			.hasSize(1);
	}
}
