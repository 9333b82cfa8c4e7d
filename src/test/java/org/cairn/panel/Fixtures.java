// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import java.util.List;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.customer.CustomerHoldings;
import org.cairn.panel.customer.HoldingsForm;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.Jobs;
import org.cairn.panel.ve.NewVeForm;
import org.cairn.panel.ve.VeManagement;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/** What panel tests set up again and again: a small plan, a customer holding it, a running busybox VE. */
@Component
public class Fixtures {

	private final AccountManagement accounts;

	private final PlanCatalog plans;

	private final CustomerHoldings holdings;

	private final VeManagement management;

	Fixtures(AccountManagement accounts, PlanCatalog plans, CustomerHoldings holdings, VeManagement management) {
		this.accounts = accounts;
		this.plans = plans;
		this.holdings = holdings;
		this.management = management;
	}

	/** 64 MB, one CPU, 128 processes, no addresses; {@code kept} backups at {@code time} ("" for none). */
	public Plan plan(String name, String kept, String time) {
		return plans.create(new PlanForm(name, "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", kept, time, "0", "", ""));
	}

	/** A customer holding {@code plan} with room for {@code maxVes} VEs; returns their id. */
	public long customer(String name, String password, Plan plan, int maxVes) {
		long id = accounts.create(new NewUser(name, name + "@example.com", Role.CUSTOMER, password)).account().getId();
		holdings.set(id, new HoldingsForm(List.of(plan.getId()), Integer.toString(maxVes), "", "", ""));
		return id;
	}

	/** A busybox VE of the customer's, made and running; returns its id. */
	public long ve(long owner, Plan plan, String hostname) {
		JobView job = Jobs.await(management, owner, management.create(owner, new NewVeForm(plan.getId(), "busybox",
				hostname, "Root-Pass-Fixture-1", null)).id());
		assertThat(job.state()).as(String.valueOf(job.error())).isEqualTo("succeeded");
		return job.veId();
	}
}
