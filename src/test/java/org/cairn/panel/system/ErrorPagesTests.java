// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cairn.panel.PanelApplication;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every GET route of the panel, with ids that do not parse and ids that name nothing, as a browser and as an API
 * client, over real HTTP (the container's error dispatch included): never a 500, never the container's page;
 * a page in the panel's layout with a way back, or a problem document.
 */
@SpringBootTest(classes = PanelApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorPagesTests {

	private static final String PASSWORD = "Errant-Paths-Secret-4";

	@LocalServerPort
	int port;

	@Autowired
	AccountManagement accounts;

	@Autowired
	@org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, TestDatabase.shared());
		PanelEngine.register(registry);
	}

	@Autowired
	org.cairn.panel.Fixtures fixtures;

	private long veId;

	@BeforeAll
	void users() {
		org.cairn.panel.plan.Plan plan = fixtures.plan("Errant plan", "3", "");
		long owner = fixtures.customer("errant-customer", PASSWORD, plan, 1);
		veId = fixtures.ve(owner, plan, "errant.example.com");
	}

	@Test
	void aBackupTheVeDoesNotHaveIsSaidSoOnAPageAndInAProblem() throws Exception {
		HttpClient customer = signedIn("errant-customer", PASSWORD);
		for (String path : List.of("/customer/ves/" + veId + "/backups/deadbeef", "/customer/ves/" + veId
				+ "/backups/not-hex?path=/etc", "/api/v1/ves/" + veId + "/backups/deadbeef/files?path=/etc")) {
			for (boolean browser : List.of(true, false)) {
				HttpResponse<String> answer = customer.send(HttpRequest.newBuilder(uri(path))
					.header("Accept", browser ? "text/html" : "application/json").build(), HttpResponse.BodyHandlers.ofString());
				assertThat(check(path, browser, answer)).isNull();
				assertThat(answer.statusCode()).as(path).isIn(400, 404);
				assertThat(answer.body()).as(path).contains("snapshot").doesNotContainPattern("\\bve[0-9a-f]{10}\\b");
			}
		}
	}

	private HttpClient signedIn(String username, String password) throws Exception {
		HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String form = http.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).isTrue();
		http.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password="
					+ URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1)))
			.build(), HttpResponse.BodyHandlers.ofString());
		return http;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private List<String> getRoutes() {
		TreeSet<String> routes = new TreeSet<>();
		for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
			boolean get = info.getMethodsCondition().getMethods().isEmpty() || info.getMethodsCondition().getMethods()
				.contains(org.springframework.web.bind.annotation.RequestMethod.GET);
			if (get) {
				info.getPatternValues().stream().filter(p -> p.contains("{")).forEach(routes::add);
			}
		}
		return new ArrayList<>(routes);
	}

	@Test
	void everyRouteWithBadIdsAnswersAPageOrAProblemNeverAServerError() throws Exception {
		List<String> routes = getRoutes();
		assertThat(routes).as("routes with ids").hasSizeGreaterThan(10);
		List<String> wrong = new ArrayList<>();
		for (HttpClient client : List.of(signedIn(PanelTest.ADMIN, PanelTest.ADMIN_PASSWORD),
				signedIn("errant-customer", PASSWORD))) {
			for (String route : routes) {
				for (String id : List.of("abc", "999999", "-1", "%20")) {
					String path = route.replaceAll("\\{[^}]+}", id);
					for (boolean browser : List.of(true, false)) {
						HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri(path))
							.header("Accept", browser ? "text/html,application/xhtml+xml" : "application/json").build(),
								HttpResponse.BodyHandlers.ofString());
						String problem = check(path, browser, answer);
						if (problem != null) {
							wrong.add(problem);
						}
					}
				}
			}
		}
		assertThat(wrong).isEmpty();
	}

	@Test
	void aWrongMethodOrMediaTypeIsAProblemDocument() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String basic = "Basic " + java.util.Base64.getEncoder()
			.encodeToString(("errant-customer:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		String made = http.send(HttpRequest.newBuilder(uri("/api/v1/tokens")).header("Authorization", basic)
			.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"errant\"}"))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		String bearer = "Bearer " + made.replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
		HttpResponse<String> method = http.send(HttpRequest.newBuilder(uri("/api/v1/me")).header("Authorization", bearer)
			.DELETE().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(method.statusCode()).isEqualTo(405);
		assertThat(method.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		HttpResponse<String> media = http.send(HttpRequest.newBuilder(uri("/api/v1/ves")).header("Authorization", bearer)
			.header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("plan=1")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(media.statusCode()).isEqualTo(415);
		assertThat(media.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(media.body()).doesNotContain("\tat ");
		HttpResponse<String> large = http.send(HttpRequest.newBuilder(uri("/api/v1/ves")).header("Authorization", bearer)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"sshKey\":\"" + "A".repeat(2_000_000) + "\"}")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(large.statusCode()).isEqualTo(413);
		assertThat(large.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
	}

	/** What is wrong with an answer, or null. */
	private static String check(String path, boolean browser, HttpResponse<String> answer) {
		int status = answer.statusCode();
		String body = answer.body();
		String type = answer.headers().firstValue("Content-Type").orElse("");
		String who = (browser ? "browser " : "client ") + path + " -> " + status + ": ";
		if (status >= 500) {
			return who + "a server error";
		}
		if (body.contains("Whitelabel") || body.contains("HTTP Status") || body.contains("\tat ")) {
			return who + "the container's page or a stack trace";
		}
		if (status < 400 || status == 401) {
			return null;
		}
		boolean api = path.startsWith("/api/");
		if (api || !browser) {
			if (api && !type.startsWith("application/problem+json")) {
				return who + "not a problem document but " + type;
			}
			return null;
		}
		if (!type.startsWith("text/html") || !body.contains("class=\"topbar\"") || !body.contains("id=\"error-home\"")) {
			return who + "not a page of the panel's layout with a way back";
		}
		return null;
	}
}
