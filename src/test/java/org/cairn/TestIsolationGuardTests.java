// SPDX-License-Identifier: Apache-2.0
package org.cairn;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness's promise: a Cairn started by a test never gets a node's data folder, cluster or port. */
class TestIsolationGuardTests {

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	@Test
	void theNodesDefaultDataFolderBecomesAFolderOfTheTestsOwn() {
		StandardEnvironment environment = environment(Map.of("cairn.data-dir", "/var/lib/cairn",
				"spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/x"));
		new TestIsolationGuard().postProcessEnvironment(environment, new SpringApplication());
		assertThat(Path.of(environment.getProperty("cairn.data-dir")))
			.startsWith(Path.of(System.getProperty("java.io.tmpdir")))
			.isNotEqualTo(Path.of("/var/lib/cairn"));
		assertThat(environment.getProperty("spring.datasource.url")).as("a test's own database stays")
			.isEqualTo("jdbc:postgresql://127.0.0.1:1/x");
	}

	@Test
	void withoutADatabaseATestGetsTheTestsOwnClusterNeverAManagedOne() {
		StandardEnvironment environment = environment(Map.of());
		new TestIsolationGuard().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo(org.cairn.panel.TestDatabase.shared().jdbcUrl());
	}

	@Test
	void aNodesFolderIsRefusedAndThePanelsPortReplaced() {
		assertThatThrownBy(() -> new TestIsolationGuard().postProcessEnvironment(
				environment(Map.of("cairn.data-dir", "/srv/cairn")), new SpringApplication()))
			.hasMessageContaining("may not use the data folder /srv/cairn");
		StandardEnvironment environment = environment(Map.of("server.port", "8080", "spring.datasource.url",
				"jdbc:postgresql://127.0.0.1:1/x"));
		new TestIsolationGuard().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.port")).isEqualTo("0");
	}
}
