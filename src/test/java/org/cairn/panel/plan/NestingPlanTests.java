// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import org.cairn.engine.VeEngine;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A plan's nesting flag reaches the VEs made on it, and only those; switched, its VEs follow. */
class NestingPlanTests extends PanelTest {

	private static final String PASSWORD = "Nesting-Plan-Secret-4";

	@Autowired
	PlanCatalog plans;

	@Autowired
	Fixtures fixtures;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	org.cairn.panel.audit.AuditLog audit;

	@Test
	void vesOfANestingPlanMayRunContainers() throws Exception {
		Plan nesting = plans.create(new PlanForm("Containers", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0",
				"0", "", "0", "", "true"));
		Plan plain = fixtures.plan("No containers", "0", "");
		assertThat(nesting.isNesting()).isTrue();
		assertThat(plans.view(nesting).nesting()).isTrue();
		long owner = fixtures.customer("nest-owner", PASSWORD, nesting, 2);
		long withNesting = fixtures.ve(owner, nesting, "nest-a.example.com");
		long other = fixtures.customer("nest-other", PASSWORD, plain, 1);
		long without = fixtures.ve(other, plain, "nest-b.example.com");
		assertThat(engine.nesting(management.owned(owner, withNesting).getEngineName())).isTrue();
		assertThat(engine.nesting(management.owned(other, without).getEngineName())).isFalse();

		// switched off: the plan's VE follows (from its next start), audited; the other plan's VE is untouched
		plans.update(nesting.getId(), new PlanForm("Containers", "64M", "0", "1", "", "100", "128", "", "", "", "", "0",
				"0", "0", "", "0", "", "false"));
		String engineName = management.owned(owner, withNesting).getEngineName();
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
		while (engine.nesting(engineName) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(engine.nesting(engineName)).isFalse();
		assertThat(engine.nesting(management.owned(other, without).getEngineName())).isFalse();
		org.cairn.panel.audit.AuditFilter changes = new org.cairn.panel.audit.AuditFilter(null, "VE_NESTING", null, null,
				null);
		while (audit.find(changes, 0).getContent().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(audit.find(changes, 0).getContent()).singleElement().satisfies(entry -> {
			assertThat(entry.getTarget()).isEqualTo("ve:nest-a.example.com");
			assertThat(entry.getDetail()).startsWith("off (plan Containers)");
			assertThat(entry.getOutcome()).isEqualTo(org.cairn.panel.audit.Outcome.SUCCESS);
		});
		assertThatThrownBy(() -> new PlanForm("Bad", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "0", "",
				"0", "", "maybe").definition()).hasMessageContaining("true or false");
	}
}
