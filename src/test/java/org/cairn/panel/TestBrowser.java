// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser against a panel served on a real port of this machine: cookies of its own (sent to any port of
 * localhost, as behind one load balancer), no redirect followed, and the sign-in form filled as a person does.
 */
public final class TestBrowser {

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

	public HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	public int status(int port, String path) throws IOException, InterruptedException {
		return get(port, path).statusCode();
	}

	/** A form's POST with nothing but its CSRF token. */
	public HttpResponse<String> post(int port, String path, String csrf) throws IOException, InterruptedException {
		return form(port, path, "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
	}

	/** Signs in through the form (with the CSRF token the form carries); fails the test when it is refused. */
	public TestBrowser signIn(int port, String username, String password) throws IOException, InterruptedException {
		String token = csrf(get(port, "/login").body());
		HttpResponse<String> signedIn = form(port, "/login", "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
				+ "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(token, StandardCharsets.UTF_8));
		assertThat(signedIn.headers().firstValue("Location").orElse("")).as("signed in as " + username)
			.doesNotContain("/login");
		return this;
	}

	/** The cookie {@code name} as a Cookie header carries it. */
	public String cookie(String name) {
		return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
			.orElseThrow().toString();
	}

	/** The CSRF token of the page's first form. */
	public static String csrf(String page) {
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).as("a CSRF field").isTrue();
		return csrf.group(1);
	}

	/** An API token of the user's, made with Basic credentials as a script would. */
	public static String token(int port, String username, String password) throws IOException, InterruptedException {
		String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(port, "/api/v1/tokens"))
			.header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"test\",\"days\":1}")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
		return JsonMapper.builder().build().readTree(made.body()).path("secret").asString();
	}

	private HttpResponse<String> form(int port, String path, String body) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(int port, String path) {
		return URI.create("http://localhost:" + port + path);
	}
}
