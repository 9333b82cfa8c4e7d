// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Decides where the panel's database is before any bean exists: with {@code spring.datasource.url} set it
 * checks that the server answers (one clear error otherwise); without it, it starts Cairn's own cluster
 * under {@code cairn.data-dir} and stops it when the application stops.
 */
class ManagedDatabaseEnvironment implements EnvironmentPostProcessor, Ordered {

	private final Log log;

	ManagedDatabaseEnvironment(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(ManagedDatabaseEnvironment.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!application.getAllSources().contains(org.cairn.panel.PanelApplication.class)) {
			// a node's agent (cairn node serve) holds no database
			return;
		}
		String url = environment.getProperty("spring.datasource.url");
		if (StringUtils.hasText(url)) {
			checkReachable(url, environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"));
			return;
		}
		Path dataDir = Path.of(environment.getProperty("cairn.data-dir", "/var/lib/cairn"));
		String osUser = environment.getProperty("cairn.postgres.os-user", "postgres");
		int port = environment.getProperty("cairn.postgres.port", Integer.class, 0);
		ManagedPostgres postgres = ManagedPostgres.start(dataDir, osUser, port);
		log.info("Started Cairn's own PostgreSQL in " + postgres.clusterDir() + " on 127.0.0.1:" + postgres.port());
		environment.getPropertySources()
			.addFirst(new MapPropertySource("cairnManagedPostgres",
					Map.of("spring.datasource.url", postgres.jdbcUrl(), "spring.datasource.username",
							postgres.username(), "spring.datasource.password", postgres.password())));
		// the panel's ClusterWatch starts it again when it ends unasked
		application.addInitializers(context -> context.getBeanFactory().registerSingleton("managedPostgres", postgres));
		application.addListeners((ApplicationEvent event) -> {
			if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
				postgres.stop();
			}
		});
		Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "cairn-postgres-stop"));
	}

	private static void checkReachable(String url, String username, String password) {
		DriverManager.setLoginTimeout(10);
		try (var connection = DriverManager.getConnection(url, username, password)) {
			connection.isValid(5);
		}
		catch (SQLException ex) {
			throw new DatabaseUnavailableException("Cannot connect to PostgreSQL at " + url + ": " + ex.getMessage()
					+ ". Start that server, correct spring.datasource.url, or unset it to let Cairn run its own.");
		}
	}

	@Override
	public int getOrder() {
		// after the config files and the command line are read
		return Ordered.LOWEST_PRECEDENCE;
	}
}
