// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.plan.Plan;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * A VE's backups, restores, reinstall, root access and host name through the API and pages, on the real engine
 * and restic: the customer's own, the support desk's with a reason the customer sees, and the plan's schedule.
 */
class BackupDeskTests extends PanelTest {

	private static final String PASSWORD = "Backup-Desk-Secret-7";

	@Autowired
	AccountManagement accounts;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	AuditLog audit;

	@Autowired
	BackupScheduler scheduler;

	@Autowired
	Fixtures fixtures;

	private long customer(String name, Plan plan) {
		return fixtures.customer(name, PASSWORD, plan, 2);
	}

	private Plan plan(String name, String kept, String time) {
		return fixtures.plan(name, kept, time);
	}

	private long ve(long owner, Plan plan, String hostname) {
		return fixtures.ve(owner, plan, hostname);
	}

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

	@Test
	void aCustomerBacksUpBrowsesAndRestoresAndSupportRestoresWithAReason() throws Exception {
		Plan plan = plan("Backed up", "2", "");
		long owner = customer("bk-owner", plan);
		long veId = ve(owner, plan, "files.example.com");
		MockHttpSession session = signIn("bk-owner", PASSWORD);
		sh(owner, veId, "mkdir -p /srv/site && echo hello > /srv/site/index.html && echo keep > /root/notes");

		assertThat(job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/backups").session(session).with(csrf()))
			.andReturn()).state()).isEqualTo("succeeded");
		String list = mvc.perform(get("/api/v1/ves/" + veId + "/backups").session(session)).andReturn().getResponse()
			.getContentAsString();
		String snapshot = list.replaceAll("(?s).*?\"id\":\"([0-9a-f]+)\".*", "$1");
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/backups/" + snapshot + "/files").param("path", "/srv/site")
			.session(session)).andReturn().getResponse().getContentAsString()).contains("\"name\":\"index.html\"");

		sh(owner, veId, "rm -rf /srv/site /root/notes");
		MvcResult missing = mvc.perform(post("/api/v1/ves/" + veId + "/backups/" + snapshot + "/restore").session(session)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"path\":\"/nowhere\"}")).andReturn();
		assertThat(missing.getResponse().getStatus()).isEqualTo(400);
		assertThat(missing.getResponse().getContentAsString()).contains("\"field\":\"path\"");
		assertThat(job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/backups/" + snapshot + "/restore")
			.session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"path\":\"/root/notes\"}"))
			.andReturn()).state()).isEqualTo("succeeded");
		assertThat(sh(owner, veId, "cat /root/notes")).isEqualTo("keep\n");

		// the support desk: finds the VE, looks into its backup, restores a folder, and must say why
		accounts.create(new NewUser("bk-support", "bk-support@example.com", Role.SUPPORT, PASSWORD));
		MockHttpSession support = signIn("bk-support", PASSWORD);
		assertThat(mvc.perform(get("/support").param("q", "files.example").session(support)).andReturn().getResponse()
			.getContentAsString()).contains("/support/ves/" + veId);
		assertThat(mvc.perform(get("/support/ves/" + veId).session(support)).andReturn().getResponse()
			.getContentAsString()).contains("bk-owner").contains(snapshot.substring(0, 8));
		assertThat(mvc.perform(get("/support/ves/" + veId + "/backups/" + snapshot).param("path", "/srv").session(support))
			.andReturn().getResponse().getContentAsString()).contains("site/");
		mvc.perform(post("/support/ves/" + veId + "/backups/" + snapshot + "/restore").param("path", "/srv/site")
			.session(support).with(csrf()));
		assertThat(sh(owner, veId, "ls /srv/site 2>&1")).as("no reason, no restore").contains("No such file");
		MvcResult restored = mvc.perform(post("/support/ves/" + veId + "/backups/" + snapshot + "/restore")
			.param("path", "/srv/site").param("reason", "ticket 4711: site deleted by mistake").session(support).with(csrf()))
			.andReturn();
		long jobId = Long.parseLong(restored.getResponse().getRedirectedUrl().replaceAll(".*job=(\\d+)", "$1"));
		assertThat(Jobs.await(management, owner, jobId).state()).isEqualTo("succeeded");
		assertThat(sh(owner, veId, "cat /srv/site/index.html")).isEqualTo("hello\n");
		assertThat(mvc.perform(post("/support/ves/" + veId + "/backups/" + snapshot + "/restore").param("whole", "true")
			.param("reason", "all").param("confirmation", "files.example.com").session(support).with(csrf())).andReturn()
			.getFlashMap().get("error")).asString().contains("files and folders");

		String page = mvc.perform(get("/customer/ves/" + veId).session(session)).andReturn().getResponse()
			.getContentAsString();
		assertThat(page).contains("Restored by support").contains("/srv/site").contains("ticket 4711");
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/restores").session(session)).andReturn().getResponse()
			.getContentAsString()).contains("\"bySupport\":true").contains("\"by\":\"bk-owner\"");
		assertThat(audit.find(new AuditFilter("bk-support", "SUPPORT_RESTORE", Outcome.SUCCESS, null, null), 0)
			.getContent()).singleElement().satisfies(e -> assertThat(e.getDetail()).contains("ticket 4711"));
		assertThat(audit.find(new AuditFilter("bk-support", "SUPPORT_BROWSE", null, null, null), 0).getContent())
			.isNotEmpty();
		assertThat(mvc.perform(post("/customer/ves/" + veId + "/actions/stop").session(support).with(csrf())).andReturn()
			.getResponse().getStatus()).as("support changes no VE").isEqualTo(403);

		// the plan keeps two: a third backup forgets the oldest
		for (int i = 0; i < 2; i++) {
			job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/backups").session(session).with(csrf())).andReturn());
		}
		assertThat(engine.backups().list(management.owned(owner, veId).getEngineName())).hasSize(2);

		// the whole VE, after typing its name
		sh(owner, veId, "echo later > /root/later");
		String newest = engine.backups().list(management.owned(owner, veId).getEngineName()).get(0).id();
		MvcResult unconfirmed = mvc.perform(post("/api/v1/ves/" + veId + "/backups/" + newest + "/restore")
			.session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"whole\":true}")).andReturn();
		assertThat(unconfirmed.getResponse().getContentAsString()).contains("\"field\":\"confirmation\"");
		assertThat(job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/backups/" + newest + "/restore")
			.session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"whole\":true,\"confirmation\":\"files.example.com\"}")).andReturn()).state()).isEqualTo("succeeded");
		assertThat(management.get(owner, veId).state()).isEqualTo("running");
		assertThat(sh(owner, veId, "ls /root/later 2>&1; cat /srv/site/index.html")).contains("No such file")
			.contains("hello");
	}

	@Test
	void aPlanWithoutBackupsRefusesThem() throws Exception {
		Plan plan = plan("No backups", "0", "");
		long owner = customer("bk-none", plan);
		long veId = ve(owner, plan, "nobackup.example.com");
		MvcResult refused = mvc.perform(post("/api/v1/ves/" + veId + "/backups").session(signIn("bk-none", PASSWORD))
			.with(csrf())).andReturn();
		assertThat(refused.getResponse().getStatus()).isEqualTo(400);
		assertThat(refused.getResponse().getContentAsString()).contains("includes no backups");
	}

	@Autowired
	org.cairn.panel.plan.PlanCatalog plans;

	@Test
	void aBackupThatNeverEndsDelaysNoOtherVesBackupAndRunsWithinTheVesLimits() throws Exception {
		Plan capped = plans.create(new org.cairn.panel.plan.PlanForm("Endless", "64M", "0", "1", "25%", "100", "128", "",
				"", "", "", "0", "0", "1", "04:30", "0", "", ""));
		long owner = fixtures.customer("bk-endless", PASSWORD, capped, 2);
		String endless = management.owned(owner, ve(owner, capped, "endless.example.com")).getEngineName();
		String quick = management.owned(owner, ve(owner, capped, "quick.example.com")).getEngineName();
		// a terabyte of holes: restic reads it for hours
		Process huge = engine.exec(endless, List.of("truncate", "-s", "1099511627776", "/root/huge")).start();
		assertThat(huge.waitFor()).isZero();
		ZoneId zone = ZoneId.systemDefault();
		LocalDate day = LocalDate.now(zone).plusDays(3);
		long t0 = System.nanoTime();
		List<java.util.concurrent.Future<org.cairn.engine.VeBackups.ScheduledBackup>> started = scheduler
			.dispatch(ZonedDateTime.of(day, LocalTime.of(4, 31), zone));
		assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).as("the scheduler's thread is free at once")
			.isLessThan(java.time.Duration.ofSeconds(10));
		assertThat(started).as("these two, and those of other tests' VEs due too").hasSizeGreaterThanOrEqualTo(2);
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
		while (engine.backups().list(quick).isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertThat(engine.backups().list(quick)).as("the other VE's backup went on").hasSize(1);
		assertThat(engine.backups().list(endless)).as("while this one still runs").isEmpty();
		// restic runs in the VE's helpers' cgroup, with the VE's CPU cap, not in the panel's
		assertThat(ProcessHandle.allProcesses()
			.filter(p -> p.info().commandLine().orElse("").contains("restic") && p.info().commandLine().orElse("")
				.contains(" backup "))
			.map(p -> {
				try {
					return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cgroup"));
				}
				catch (java.io.IOException ex) {
					return "";
				}
			})
			.toList()).as("the endless backup's restic, in its VE's helpers' cgroup")
			.anySatisfy(cgroup -> assertThat(cgroup).contains("/" + endless + ".helpers"));
		// an admin's stop wins over it
		engine.stop(endless, java.time.Duration.ofSeconds(5));
		org.cairn.engine.VeBackups.ScheduledBackup ended = started.stream()
			.map(future -> {
				try {
					return future.get(30, java.util.concurrent.TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new AssertionError(ex);
				}
			})
			.filter(backup -> backup.ve().equals(endless))
			.findFirst()
			.orElseThrow();
		assertThat(ended.error()).isNotBlank();
		assertThat(ended.snapshot()).isNull();
	}

	@Test
	void thePlansBackupTimeTakesADailyBackupAndKeepsWhatThePlanSays() throws Exception {
		Plan plan = plan("Nightly", "1", "03:30");
		long owner = customer("bk-nightly", plan);
		long veId = ve(owner, plan, "nightly.example.com");
		String name = management.owned(owner, veId).getEngineName();
		ZoneId zone = ZoneId.systemDefault();
		LocalDate day = LocalDate.now(zone).plusDays(1);
		scheduler.run(ZonedDateTime.of(day, LocalTime.of(3, 0), zone));
		assertThat(engine.backups().schedules()).containsEntry(name, LocalTime.of(3, 30));
		assertThat(engine.backups().list(name)).as("not yet due").isEmpty();
		assertThat(scheduler.run(ZonedDateTime.of(day, LocalTime.of(3, 31), zone)))
			.anySatisfy(done -> assertThat(done.ve()).isEqualTo(name));
		assertThat(engine.backups().list(name)).hasSize(1);
		scheduler.run(ZonedDateTime.of(day.plusDays(1), LocalTime.of(3, 31), zone));
		assertThat(engine.backups().list(name)).as("the plan keeps one").hasSize(1);
	}

	@Test
	void reinstallRootAccessAndHostNameThroughTheApi() throws Exception {
		Plan plan = plan("Reinstalled", "0", "");
		long owner = customer("bk-reinstall", plan);
		long veId = ve(owner, plan, "old.example.com");
		MockHttpSession session = signIn("bk-reinstall", PASSWORD);
		sh(owner, veId, "echo mine > /root/file");

		MvcResult badName = mvc.perform(put("/api/v1/ves/" + veId + "/hostname").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"hostname\":\"bad_name\"}")).andReturn();
		assertThat(badName.getResponse().getStatus()).isEqualTo(400);
		assertThat(badName.getResponse().getContentAsString()).contains("\"field\":\"hostname\"");
		// a job: the engine writes inside the VE, which the VE can make slow
		assertThat(job(owner, mvc.perform(put("/api/v1/ves/" + veId + "/hostname").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"hostname\":\"new.example.com\"}")).andReturn()).state())
			.isEqualTo("succeeded");
		assertThat(management.get(owner, veId).hostname()).isEqualTo("new.example.com");
		assertThat(sh(owner, veId, "hostname")).isEqualTo("new.example.com\n");

		MvcResult badKey = mvc.perform(put("/api/v1/ves/" + veId + "/root-access").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"sshKey\":\"not a key\"}")).andReturn();
		assertThat(badKey.getResponse().getContentAsString()).contains("\"field\":\"sshKey\"");
		assertThat(job(owner, mvc.perform(put("/api/v1/ves/" + veId + "/root-access").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"rootPassword\":\"Changed-Pass-42\"}")).andReturn())
			.state()).isEqualTo("succeeded");
		String hash = sh(owner, veId, "grep ^root: /etc/shadow | cut -d: -f2").strip();
		assertThat(sh(owner, veId, "mkpasswd -m sha512 -S " + hash.split("\\$")[2] + " Changed-Pass-42").strip())
			.isEqualTo(hash);

		MvcResult unconfirmed = mvc.perform(post("/api/v1/ves/" + veId + "/actions/reinstall").session(session)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"template\":\"busybox\",\"rootPassword\":\"Fresh-Pass-43\",\"confirmation\":\"old.example.com\"}"))
			.andReturn();
		assertThat(unconfirmed.getResponse().getContentAsString()).contains("\"field\":\"confirmation\"");
		assertThat(sh(owner, veId, "cat /root/file")).isEqualTo("mine\n");
		assertThat(job(owner, mvc.perform(post("/api/v1/ves/" + veId + "/actions/reinstall").session(session)
			.with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"template\":\"busybox\",\"rootPassword\":\"Fresh-Pass-43\",\"confirmation\":\"new.example.com\"}"))
			.andReturn()).state()).isEqualTo("succeeded");
		assertThat(management.get(owner, veId).state()).isEqualTo("running");
		assertThat(sh(owner, veId, "cat /root/file 2>&1; hostname")).contains("No such file").contains("new.example.com");
		assertThat(audit.find(new AuditFilter("bk-reinstall", "VE_REINSTALL", null, null, null), 0).getContent()).hasSize(1);
		assertThat(audit.find(new AuditFilter("bk-reinstall", "VE_RENAME", null, null, null), 0).getContent()).hasSize(1);
	}
}
