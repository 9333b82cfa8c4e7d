// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.cairn.panel.database.ManagedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL the integration tests run against: a throw-away cluster, started once per test JVM
 * by the same code that runs Cairn's own cluster, empty at start (Flyway migrates it from nothing) and
 * removed when the JVM ends.
 */
public final class TestDatabase {

	private static ManagedPostgres shared;

	private TestDatabase() {
	}

	public static synchronized ManagedPostgres shared() {
		if (shared == null) {
			shared = startThrowAway("shared");
		}
		return shared;
	}

	/** A cluster of the caller's own, for tests that stop and start it; removed when the JVM ends. */
	public static ManagedPostgres startThrowAway(String name) {
		try {
			Path dir = Files.createTempDirectory("cairn-test-pg-" + name + "-");
			ManagedPostgres postgres = ManagedPostgres.start(dir, "postgres", 0);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				postgres.stop();
				deleteTree(dir);
			}));
			return postgres;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static void register(DynamicPropertyRegistry registry, ManagedPostgres postgres) {
		registry.add("spring.datasource.url", postgres::jdbcUrl);
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
	}

	public static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort at JVM exit
		}
	}
}
