// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backups against a working VE, a killed restic, a failed restore; the schedule and retention. */
class BackupSafetyTests extends EngineTest {

	private String sh(String ve, String script) {
		TestEngine.Result result = test.sh(ve, script);
		assertThat(result.exitCode()).as(script + ": " + result.output()).isZero();
		return result.output();
	}

	/** Kills restic's {@code verb} once it runs ("[x]" keeps pgrep from matching its own shell). */
	private static void killRestic(String verb) {
		String pattern = "restic [" + verb.charAt(0) + "]" + verb.substring(1) + " ";
		TestEngine.waitFor(() -> !TestEngine.run("sh", "-c", "pgrep -f '" + pattern + "' || true").isBlank(),
				Duration.ofSeconds(30), "restic " + verb + " runs");
		TestEngine.run("sh", "-c", "sleep 0.5; pkill -9 -f '" + pattern + "'");
	}

	@Test
	void aBackupDoesNotStopTheVeAndAKilledOneLeavesAUsableRepository() throws Exception {
		engine.create(new VeSpec("busy", "busybox", null));
		engine.start("busy");
		sh("busy", "head -c 60000000 /dev/urandom > /root/big");
		// written aside and renamed: a reader never sees a half-written counter
		sh("busy", "(i=0; while true; do i=$((i+1)); echo $i > /root/.counter; mv /root/.counter /root/counter;"
				+ " usleep 20000; done) >/dev/null 2>&1 &");
		TestEngine.waitFor(() -> test.sh("busy", "cat /root/counter").exitCode() == 0, Duration.ofSeconds(5),
				"the VE counts");
		long before = Long.parseLong(sh("busy", "cat /root/counter").strip());
		long t0 = System.nanoTime();
		engine.backups().create("busy", null);
		double seconds = (System.nanoTime() - t0) / 1e9;
		long after = Long.parseLong(sh("busy", "cat /root/counter").strip());
		assertThat(engine.status("busy").state()).isEqualTo(VeState.RUNNING);
		assertThat(after - before).as("the VE kept working through a %.1f s backup", seconds)
			.isGreaterThan((long) (seconds * 10));

		// point in time: frozen only for the second pass, of what changed during the first
		sh("busy", "head -c 20000000 /dev/urandom > /root/changed");
		VeBackups.ConsistentBackup consistent = engine.backups().createConsistent("busy", "consistent");
		assertThat(consistent.frozenFor()).isPositive().isLessThan(Duration.ofSeconds(10));
		assertThat(engine.status("busy").state()).isEqualTo(VeState.RUNNING);
		assertThat(engine.backups().list("busy")).extracting(Snapshot::tags).as("the first pass is forgotten")
			.containsExactly(List.of(), List.of("consistent"));
		long resumed = Long.parseLong(sh("busy", "cat /root/counter").strip());
		TestEngine.waitFor(() -> Long.parseLong(sh("busy", "cat /root/counter").strip()) > resumed,
				Duration.ofSeconds(5), "the VE works again");

		sh("busy", "head -c 60000000 /dev/urandom > /root/big2");
		CompletableFuture<Snapshot> killed = CompletableFuture.supplyAsync(() -> engine.backups().create("busy", null));
		killRestic("backup");
		assertThatThrownBy(() -> killed.get(60, TimeUnit.SECONDS)).hasMessageContaining("backup:");
		assertThat(TestEngine.run("sh", "-c", "pgrep -f '[r]clone serve restic' || true")).as("no relay left").isBlank();
		assertThat(engine.backups().check(false)).contains("no errors were found");
		Snapshot next = engine.backups().create("busy", "after-kill");
		assertThat(engine.backups().files("busy", next.id(), "/root")).extracting(e -> e.name())
			.contains("big", "big2", "counter");
	}

	@Test
	void aRestoreThatFailsMidwayLeavesTheFilesAsTheyWere() throws Exception {
		engine.create(new VeSpec("r", "busybox", null));
		engine.create(new VeSpec("stopped", "busybox", null));
		engine.start("r");
		sh("r", "mkdir /root/data && head -c 80000000 /dev/urandom > /root/data/big && echo old > /root/data/small");
		Snapshot snapshot = engine.backups().create("r", null);
		sh("r", "echo current > /root/data/small && rm /root/data/big");
		CompletableFuture<String> restore = CompletableFuture.supplyAsync(
				() -> engine.backups().restore("r", snapshot.id(), "/root/data", null));
		killRestic("restore");
		assertThatThrownBy(() -> restore.get(60, TimeUnit.SECONDS)).hasMessageContaining("backup:");
		assertThat(sh("r", "cat /root/data/small; ls /root/data; ls -a / | grep -c cairn-restore || true"))
			.isEqualTo("current\nsmall\n0\n");

		// a stopped VE: its held instance goes away after a failure too
		Snapshot ofStopped = engine.backups().create("stopped", null);
		assertThatThrownBy(() -> engine.backups().restore("stopped", ofStopped.id(), "/root/none", null))
			.hasMessageStartingWith("path:");
		assertThat(test.settings.root().resolve("ves/stopped/hold")).doesNotExist();
		assertThat(engine.status("stopped").state()).isEqualTo(VeState.STOPPED);
	}

	@Test
	void theScheduleRunsOncePerDayAndSurvivesRestartsAndRetentionForgets() {
		engine.create(new VeSpec("s", "busybox", null));
		engine.backups().schedule("s", LocalTime.of(3, 0));
		ZonedDateTime day = ZonedDateTime.of(2026, 11, 25, 2, 59, 0, 0, ZoneId.of("UTC"));
		assertThat(engine.backups().runScheduled(day)).isEmpty();
		List<VeBackups.ScheduledBackup> first = engine.backups().runScheduled(day.plusMinutes(2));
		assertThat(first).hasSize(1);
		assertThat(first.get(0).snapshot().tags()).containsExactly("scheduled");
		assertThat(engine.backups().runScheduled(day.plusMinutes(6))).isEmpty();
		VeEngine restarted = test.reopen();
		assertThat(restarted.backups().schedules()).containsEntry("s", LocalTime.of(3, 0));
		assertThat(restarted.backups().runScheduled(day.plusMinutes(30))).isEmpty();
		assertThat(restarted.backups().runScheduled(day.plusDays(1).plusMinutes(1))).hasSize(1);

		engine.backups().create("s", "manual");
		assertThat(engine.backups().list("s")).hasSize(3);
		List<Snapshot> forgotten = engine.backups().forget("s", new RetentionPolicy(1, 0, 0));
		assertThat(forgotten).hasSize(2);
		assertThat(engine.backups().list("s")).extracting(Snapshot::tags).containsExactly(List.of("manual"));
		assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0)).hasMessageStartingWith("keep-last:");
		assertThatThrownBy(() -> engine.backups().create("s", "bad tag!")).hasMessageStartingWith("tag:");

		engine.destroy("s");
		assertThat(engine.backups().schedules()).doesNotContainKey("s");
	}
}
