// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeSpec;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The panel crashed in the middle of creates and a destroy (its rows written, the engine's work done or not):
 * after a restart, each VE shows as it truly is and no job stays running.
 */
class ReconciliationTests extends PanelTest {

	@Autowired
	Reconciliation reconciliation;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	AccountManagement accounts;

	@Autowired
	PlanCatalog plans;

	@Autowired
	JdbcTemplate jdbc;

	private long row(long owner, long plan, String engineName, String hostname, String status) {
		long id = jdbc.queryForObject("""
				insert into ve (owner_id, plan_id, engine_name, hostname, template, status)
				values (?, ?, ?, ?, 'busybox', ?) returning id""", Long.class, owner, plan, engineName, hostname, status);
		jdbc.update("""
				insert into job (owner_id, ve_id, ve_name, kind, state, progress) values (?, ?, ?, ?, 'RUNNING', 'starting')""",
				owner, id, hostname, status.equals("DESTROYING") ? "destroy" : "create");
		return id;
	}

	@Test
	void aRestartShowsEachVeAsItTrulyIs() {
		Plan plan = plans.create(new PlanForm("Reconcile", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "1",
				"", "0", "", ""));
		long owner = accounts.create(new NewUser("crash-cust", "crash@example.com", Role.CUSTOMER,
				"Granite-Reconcile-Secret-2")).account().getId();
		// made by the engine before the crash, not yet started
		engine.create(new VeSpec("vemadecrash", "busybox", "made.example.com"));
		long made = row(owner, plan.getId(), "vemadecrash", "made.example.com", "CREATING");
		// the crash came before the engine did anything
		row(owner, plan.getId(), "venevermade", "never.example.com", "CREATING");
		// a destroy the crash interrupted
		engine.create(new VeSpec("vehalfgone", "busybox", "half.example.com"));
		row(owner, plan.getId(), "vehalfgone", "half.example.com", "DESTROYING");

		reconciliation.reconcile();

		List<VeSummary> now = management.of(owner);
		assertThat(now).extracting(VeSummary::hostname).containsExactly("made.example.com");
		assertThat(management.get(owner, made).state()).isEqualTo("running");
		assertThat(engine.list()).extracting(s -> s.name()).doesNotContain("vehalfgone", "venevermade");
		assertThat(jdbc.queryForObject("select count(*) from job where owner_id = ? and state in ('QUEUED', 'RUNNING')",
				Long.class, owner)).isZero();
		assertThat(jdbc.queryForObject("select error from job where owner_id = ? and ve_name = 'never.example.com'",
				String.class, owner)).startsWith("interrupted by a restart of the panel");
	}

	@Autowired
	JobRecovery recovery;

	private long job(long owner, long veId, String hostname, String kind) {
		return jdbc.queryForObject("""
				insert into job (owner_id, ve_id, ve_name, kind, state, progress)
				values (?, ?, ?, ?, 'RUNNING', '') returning id""", Long.class, owner, veId, hostname, kind);
	}

	@Test
	void anotherInstanceBringsAStopOrARestartToItsEndWithoutDoingItTwice() {
		Plan plan = plans.create(new PlanForm("Settle", "64M", "0", "1", "", "100", "128", "", "", "", "", "0", "0", "1",
				"", "0", "", ""));
		long owner = accounts.create(new NewUser("settle-cust", "settle@example.com", Role.CUSTOMER,
				"Granite-Settle-Secret-3")).account().getId();
		try {
			// a stop whose instance died before the VE stopped, and a restart that got as far as its stop
			engine.create(new VeSpec("vestophalf", "busybox", "stop.example.com"));
			engine.start("vestophalf");
			long stopping = row(owner, plan.getId(), "vestophalf", "stop.example.com", "READY");
			engine.create(new VeSpec("verestarthalf", "busybox", "restart.example.com"));
			long restarting = row(owner, plan.getId(), "verestarthalf", "restart.example.com", "READY");
			// and a restart that got through: running, with the init it has now
			engine.create(new VeSpec("verestarted", "busybox", "restarted.example.com"));
			long initPid = engine.start("verestarted").initPid().orElseThrow();
			long restarted = row(owner, plan.getId(), "verestarted", "restarted.example.com", "READY");
			jdbc.update("delete from job where owner_id = ?", owner);
			long stopJob = job(owner, stopping, "stop.example.com", "stop");
			long restartJob = job(owner, restarting, "restart.example.com", "restart");
			long restartedJob = job(owner, restarted, "restarted.example.com", "restart");

			for (long id : List.of(stopJob, restartJob, restartedJob)) {
				recovery.settle(id);
			}

			assertThat(engine.status("vestophalf").state()).isEqualTo(org.cairn.engine.VeState.STOPPED);
			assertThat(engine.status("verestarthalf").state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
			assertThat(engine.status("verestarted").initPid()).as("not restarted again").hasValue(initPid);
			assertThat(jdbc.queryForList("select state from job where owner_id = ?", String.class, owner))
				.containsOnly("SUCCEEDED");
		}
		finally {
			for (String name : List.of("vestophalf", "verestarthalf", "verestarted")) {
				try {
					engine.destroy(name);
				}
				catch (org.cairn.engine.EngineException ex) {
					// not made
				}
			}
		}
	}
}
