// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.net.http.HttpResponse;

import org.cairn.panel.PanelApplication;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestBrowser;
import org.cairn.panel.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two panel instances on one PostgreSQL, as behind a load balancer, each on a real port: a session begun on one is
 * served by the other, outlives the instance that began it, and is ended everywhere when the user ends it on either.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedSessionTests {

	private static final String PASSWORD = "Shared-Session-Pass-4";

	@LocalServerPort
	int portA;

	@Autowired
	AccountManagement accounts;

	@Autowired
	Environment environment;

	private ConfigurableApplicationContext instanceB;

	private int portB;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, TestDatabase.shared());
		PanelEngine.register(registry);
	}

	@BeforeAll
	void startASecondInstance() {
		accounts.create(new NewUser("shared-cust", "shared@example.com", Role.CUSTOMER, PASSWORD));
		instanceB = startInstance();
		portB = ((WebServerApplicationContext) instanceB).getWebServer().getPort();
	}

	@AfterAll
	void stop() {
		if (instanceB != null) {
			instanceB.close();
		}
	}

	/** Another panel on the same database and engine, on a port of its own (its own data folder: the test guard's). */
	private ConfigurableApplicationContext startInstance() {
		String[] shared = { "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
				"cairn.engine.root", "cairn.engine.cgroup-parent", "cairn.engine.first-uid", "cairn.engine.node-netns",
				"cairn.admin.password" };
		SpringApplicationBuilder builder = new SpringApplicationBuilder(PanelApplication.class);
		java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--server.port=0"));
		for (String key : shared) {
			args.add("--" + key + "=" + environment.getProperty(key));
		}
		return builder.run(args.toArray(String[]::new));
	}

	@Test
	void aSessionIsServedByEitherInstanceOutlivesItsOwnAndEndsEverywhere() throws Exception {
		TestBrowser laptop = new TestBrowser();
		laptop.signIn(portB, "shared-cust", PASSWORD);
		assertThat(laptop.status(portB, "/customer")).isEqualTo(200);
		// the other instance knows the session: no sign-in asked
		assertThat(laptop.status(portA, "/customer")).isEqualTo(200);

		// the instance that began it goes away: the session goes on
		instanceB.close();
		instanceB = null;
		assertThat(laptop.status(portA, "/customer")).isEqualTo(200);
		assertThat(laptop.status(portA, "/account/sessions")).isEqualTo(200);

		// a second browser; the first ends every other session, and the second is asked to sign in again
		TestBrowser phone = new TestBrowser();
		phone.signIn(portA, "shared-cust", PASSWORD);
		assertThat(phone.status(portA, "/customer")).isEqualTo(200);
		instanceB = startInstance();
		portB = ((WebServerApplicationContext) instanceB).getWebServer().getPort();
		assertThat(phone.status(portB, "/customer")).isEqualTo(200);
		String page = laptop.get(portB, "/account/sessions").body();
		assertThat(page).contains("end-others");
		HttpResponse<String> ended = laptop.post(portB, "/account/sessions/end-others", TestBrowser.csrf(page));
		assertThat(ended.statusCode()).isEqualTo(302);
		assertThat(phone.get(portA, "/customer").headers().firstValue("Location").orElse("")).contains("/login");
		assertThat(laptop.status(portA, "/customer")).isEqualTo(200);
	}
}
