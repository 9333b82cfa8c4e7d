// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestBrowser;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.database.ManagedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions kept in PostgreSQL, through an outage of PostgreSQL, over HTTP: a signed-in page answers 503 (not 500)
 * while the database is away, and the same session goes on once it is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD })
class SessionOutageTests {

	private static final ManagedPostgres DATABASE = TestDatabase.startThrowAway("session-outage");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, DATABASE);
		PanelEngine.register(registry);
	}

	@Test
	void aSessionInPostgresqlOutlivesAnOutageAndPagesSay503MeanWhile() throws Exception {
		TestBrowser browser = new TestBrowser().signIn(port, PanelTest.ADMIN, PanelTest.ADMIN_PASSWORD);
		assertThat(browser.status(port, "/admin/users")).isEqualTo(200);

		DATABASE.stop();
		try {
			assertThat(browser.status(port, "/admin/users")).as("a page while the database is away").isEqualTo(503);
			assertThat(browser.status(port, "/api/v1/me")).as("the API while the database is away").isEqualTo(503);
		}
		finally {
			DATABASE.restart();
		}
		int status = 0;
		for (int attempt = 0; attempt < 40 && status != 200; attempt++) {
			status = browser.status(port, "/admin/users");
			if (status != 200) {
				Thread.sleep(500);
			}
		}
		assertThat(status).as("the same session, once the database is back").isEqualTo(200);
	}
}
