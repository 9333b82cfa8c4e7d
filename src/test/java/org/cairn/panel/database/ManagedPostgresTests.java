// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.cairn.panel.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cairn's own PostgreSQL cluster: non-root, loopback only, data kept across restarts, adopted after a crash. */
class ManagedPostgresTests {

	private Path dir;

	private ManagedPostgres postgres;

	@AfterEach
	void cleanUp() {
		if (postgres != null) {
			postgres.stop();
		}
		if (dir != null) {
			TestDatabase.deleteTree(dir);
		}
	}

	private String query(ManagedPostgres pg, String sql) throws Exception {
		try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
				ResultSet rs = c.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	private void execute(ManagedPostgres pg, String sql) throws Exception {
		try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
			c.createStatement().execute(sql);
		}
	}

	@Test
	void runsAsANonRootUserOnLoopbackOnlyAndKeepsDataAcrossRestarts() throws Exception {
		dir = Files.createTempDirectory("cairn-pg-life-");
		postgres = ManagedPostgres.start(dir, "postgres", 0);

		assertThat(query(postgres, "show listen_addresses")).isEqualTo("127.0.0.1");
		assertThat(query(postgres, "select current_database()")).isEqualTo("cairn");
		assertThat(Files.getOwner(dir.resolve("postgres")).getName()).isEqualTo("postgres");
		assertThat(Files.readString(dir.resolve("postgres/postmaster.pid")).lines().findFirst()).isPresent();
		// the generated database password is readable by root only
		assertThat(Files.getPosixFilePermissions(dir.resolve("postgres.password")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
		String serverUser = new String(new ProcessBuilder("ps", "-o", "user=", "-p",
				Files.readString(dir.resolve("postgres/postmaster.pid")).lines().findFirst().get().strip())
			.start().getInputStream().readAllBytes()).strip();
		assertThat(serverUser).isEqualTo("postgres");

		execute(postgres, "create table kept (v text); insert into kept values ('survives')");
		postgres.stop();
		assertThatThrownBy(() -> query(postgres, "select 1")).isInstanceOf(java.sql.SQLException.class);

		postgres = ManagedPostgres.start(dir, "postgres", 0);
		assertThat(query(postgres, "select v from kept")).isEqualTo("survives");
	}

	@Test
	void aClusterLeftRunningByACrashedPanelIsAdopted() throws Exception {
		dir = Files.createTempDirectory("cairn-pg-adopt-");
		ManagedPostgres first = ManagedPostgres.start(dir, "postgres", 0);
		// a second start on the same directory, as after kill -9 of the panel, finds the running server
		postgres = ManagedPostgres.start(dir, "postgres", 0);
		assertThat(postgres.port()).isEqualTo(first.port());
		assertThat(query(postgres, "select 1")).isEqualTo("1");
	}
}
