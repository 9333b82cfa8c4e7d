// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.Role;
import org.cairn.panel.account.UserAccount;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanNotFoundException;
import org.cairn.panel.plan.PlanView;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which plans a customer holds and their quota. A retired plan stays with those who hold it but is given to
 * no one new. Every change is audited.
 */
@Service
public class CustomerHoldings {

	private final JdbcClient jdbc;

	private final AccountManagement accounts;

	private final PlanCatalog plans;

	private final ApplicationEventPublisher events;

	CustomerHoldings(JdbcClient jdbc, AccountManagement accounts, PlanCatalog plans, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.plans = plans;
		this.events = events;
	}

	@Transactional(readOnly = true)
	public Holdings of(long customerId) {
		UserAccount customer = customer(customerId);
		List<PlanView> held = jdbc.sql("select plan_id from customer_plan where customer_id = ? order by plan_id")
			.param(customerId)
			.query(Long.class)
			.list()
			.stream()
			.map(id -> plans.view(plans.get(id)))
			.toList();
		record Row(Quota quota, @org.jspecify.annotations.Nullable String group) {
		}
		Row row = jdbc.sql("select max_ves, memory_bytes, disk_bytes, cpus, node_group from customer_quota where customer_id = ?")
			.param(customerId)
			.query((rs, n) -> new Row(new Quota(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)),
					rs.getString(5)))
			.optional()
			.orElse(new Row(Quota.NONE, null));
		return new Holdings(customerId, customer.getUsername(), held, row.quota(), row.group());
	}

	@Transactional
	public Holdings set(long customerId, HoldingsForm form) {
		UserAccount customer = customer(customerId);
		Quota quota = form.quota();
		String group = form.group();
		Set<Long> current = new HashSet<>(jdbc.sql("select plan_id from customer_plan where customer_id = ?")
			.param(customerId)
			.query(Long.class)
			.list());
		for (long planId : form.planIds()) {
			Plan plan;
			try {
				plan = plans.get(planId);
			}
			catch (PlanNotFoundException ex) {
				throw new CustomerException("plans", "there is no plan " + planId);
			}
			if (plan.isRetired() && !current.contains(planId)) {
				throw new CustomerException("plans", "the plan " + plan.getName() + " is retired: it is given to no one new");
			}
		}
		jdbc.sql("delete from customer_plan where customer_id = ?").param(customerId).update();
		for (long planId : form.planIds()) {
			jdbc.sql("insert into customer_plan (customer_id, plan_id) values (?, ?)").params(customerId, planId).update();
		}
		jdbc.sql("""
				insert into customer_quota (customer_id, max_ves, memory_bytes, disk_bytes, cpus, node_group)
				values (?, ?, ?, ?, ?, ?)
				on conflict (customer_id) do update set max_ves = excluded.max_ves, memory_bytes = excluded.memory_bytes,
				disk_bytes = excluded.disk_bytes, cpus = excluded.cpus, node_group = excluded.node_group""")
			.params(customerId, quota.maxVes(), quota.memoryBytes(), quota.diskBytes(), quota.cpus(), group)
			.update();
		events.publishEvent(AuditedAction.success("CUSTOMER_HOLDINGS", "user:" + customer.getUsername()));
		return of(customerId);
	}

	private UserAccount customer(long id) {
		UserAccount user = accounts.get(id);
		if (user.getRole() != Role.CUSTOMER) {
			throw new CustomerException("role", user.getUsername() + " is not a customer: only customers hold plans");
		}
		return user;
	}
}
