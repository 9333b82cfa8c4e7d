// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cairn.panel.TestDatabase;
import org.cairn.panel.audit.AuditedAction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Cairn's own PostgreSQL, killed under a running panel, is started again, and the outage is kept and audited. */
class ClusterWatchTests {

	@Test
	void aKilledClusterIsStartedAgainAndTheOutageIsRecorded() throws Exception {
		ManagedPostgres postgres = TestDatabase.startThrowAway("watched");
		try {
			DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
			beans.registerSingleton("managedPostgres", postgres);
			List<Object> published = new CopyOnWriteArrayList<>();
			ClusterWatch watch = new ClusterWatch(beans.getBeanProvider(ManagedPostgres.class), published::add);
			watch.check();
			assertThat(watch.outages()).as("nothing to do while it runs").isEmpty();

			long postmaster = Long.parseLong(Files.readAllLines(postgres.clusterDir().resolve("postmaster.pid")).get(0).strip());
			ProcessHandle killed = ProcessHandle.of(postmaster).orElseThrow();
			killed.destroyForcibly();
			killed.onExit().get();
			assertThat(postgres.serverAlive()).isFalse();
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!postgres.serverAlive() && System.nanoTime() < deadline) {
				watch.check();
				Thread.sleep(500);
			}
			assertThat(postgres.serverAlive()).as("started again").isTrue();
			try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
				assertThat(connection.isValid(5)).isTrue();
			}
			assertThat(watch.outages()).hasSize(1);
			assertThat(watch.outages().get(0).until()).isNotNull();
			assertThat(published).anySatisfy(event -> assertThat(((AuditedAction) event).action())
				.isEqualTo("DATABASE_RESTART"));
		}
		finally {
			try {
				postgres.stop();
			}
			catch (RuntimeException ex) {
				// the JVM's end stops it (TestDatabase)
			}
		}
	}
}
