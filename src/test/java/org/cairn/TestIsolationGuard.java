// SPDX-License-Identifier: Apache-2.0
package org.cairn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.cairn.panel.TestDatabase;
import org.cairn.panel.database.ManagedPostgres;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every Cairn the tests start in their JVM gets a data folder of its own and the tests' own PostgreSQL, by
 * construction: a node's /var/lib/cairn, its managed cluster and the panel's port 8080 are never touched, even
 * when a panel serves customers on the machine that runs {@code bin/test}. Runs before Cairn's own
 * {@code ManagedDatabaseEnvironment}, which would otherwise start (or adopt, and later stop) the cluster in the
 * default data folder. Registered for the test class path only (src/test/resources/META-INF/spring.factories).
 */
public class TestIsolationGuard implements EnvironmentPostProcessor, Ordered {

	static final String NODE_DATA_DIR = "/var/lib/cairn";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> given = new HashMap<>();
		String dataDir = environment.getProperty("cairn.data-dir");
		if (dataDir == null || dataDir.equals(NODE_DATA_DIR)) {
			given.put("cairn.data-dir", freshDataDir().toString());
		}
		else if (!Path.of(dataDir).toAbsolutePath().startsWith(Path.of(System.getProperty("java.io.tmpdir")))) {
			throw new IllegalStateException("A test may not use the data folder " + dataDir
					+ ": tests use folders of their own under " + System.getProperty("java.io.tmpdir"));
		}
		if ("8080".equals(environment.getProperty("server.port"))) {
			// the panel's own port (application.yml's default): a test that serves gets a free one instead
			given.put("server.port", "0");
		}
		if (environment.getProperty("cairn.dns.listen") == null && environment.getProperty("cairn.dns.api-url") == null) {
			// the tests' own PowerDNS on a free port (never a running panel's), and forward checks asked of it, where
			// the tests put the names they give PTRs
			String dns = "127.0.0.1:" + freePort();
			given.put("cairn.dns.listen", dns);
			given.put("cairn.dns.resolver", dns);
		}
		if (environment.getProperty("spring.datasource.url") == null) {
			// the tests' own cluster; a test with a cluster of its own names it as a dynamic property
			ManagedPostgres shared = TestDatabase.shared();
			given.put("spring.datasource.url", shared.jdbcUrl());
			given.put("spring.datasource.username", shared.username());
			given.put("spring.datasource.password", shared.password());
		}
		if (!given.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource("cairnTestIsolation", given));
		}
	}

	private static int freePort() {
		try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
				java.net.DatagramSocket udp = new java.net.DatagramSocket(tcp.getLocalPort(),
						java.net.InetAddress.getLoopbackAddress())) {
			return tcp.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("no free port for the tests' PowerDNS", ex);
		}
	}

	private static Path freshDataDir() {
		try {
			Path dir = Files.createTempDirectory("cairn-test-data-");
			Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
			Runtime.getRuntime().addShutdownHook(new Thread(() -> TestDatabase.deleteTree(dir)));
			return dir;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public int getOrder() {
		// after the configuration files and the test's own properties, before ManagedDatabaseEnvironment
		return Ordered.LOWEST_PRECEDENCE - 1;
	}
}
