// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
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
		HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String form = http.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + PanelTest.ADMIN + "&password="
					+ URLEncoder.encode(PanelTest.ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
					+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("/login");
		assertThat(status(http, "/admin/users")).isEqualTo(200);

		DATABASE.stop();
		try {
			assertThat(status(http, "/admin/users")).as("a page while the database is away").isEqualTo(503);
			assertThat(status(http, "/api/v1/me")).as("the API while the database is away").isEqualTo(503);
		}
		finally {
			DATABASE.restart();
		}
		int status = 0;
		for (int attempt = 0; attempt < 40 && status != 200; attempt++) {
			status = status(http, "/admin/users");
			if (status != 200) {
				Thread.sleep(500);
			}
		}
		assertThat(status).as("the same session, once the database is back").isEqualTo(200);
	}

	private int status(HttpClient http, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}
}
