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

/** A plan's nesting flag reaches the VEs made on it, and only those. */
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

	@Test
	void vesOfANestingPlanMayRunContainers() {
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
		assertThatThrownBy(() -> new PlanForm("Bad", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "0", "",
				"0", "", "maybe").definition()).hasMessageContaining("true or false");
	}
}
