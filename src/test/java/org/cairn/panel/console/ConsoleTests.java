// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestBrowser;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The VE's console over a real WebSocket: a shell inside the VE that answers, follows the terminal's size and
 * ends with the socket; only the owner and admins get one, from the panel's own origin; a stopped VE says so;
 * an idle console closes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD, "cairn.console.idle-timeout=PT6S",
				"cairn.console.idle-check=PT1S" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTests {

	private static final String PASSWORD = "Console-Test-Secret-8";

	@LocalServerPort
	int port;

	@Autowired
	AccountManagement accounts;

	@Autowired
	Fixtures fixtures;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	AuditLog audit;

	private long owner;

	private long veId;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, TestDatabase.shared());
		PanelEngine.register(registry);
	}

	@BeforeAll
	void aVe() {
		Plan plan = fixtures.plan("Console plan", "0", "");
		owner = fixtures.customer("con-owner", PASSWORD, plan, 2);
		accounts.create(new NewUser("con-other", "con-other@example.com", Role.CUSTOMER, PASSWORD));
		accounts.create(new NewUser("con-support", "con-support@example.com", Role.SUPPORT, PASSWORD));
		veId = fixtures.ve(owner, plan, "console.example.com");
	}

	/** A browser's session: the sign-in form with its CSRF token, then the session cookie. */
	private String sessionCookie(String username, String password) throws Exception {
		return new TestBrowser().signIn(port, username, password).cookie("SESSION");
	}

	private URI base(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	/** What the console sends, as text, and how it closed. */
	static final class Screen implements WebSocket.Listener {

		final StringBuilder text = new StringBuilder();

		final CompletableFuture<String> closed = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			synchronized (text) {
				text.append(data);
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
			synchronized (text) {
				text.append(StandardCharsets.UTF_8.decode(data));
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
			closed.complete(status + " " + reason);
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			closed.complete("error " + error);
		}

		String awaitText(String wanted, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				synchronized (text) {
					if (text.toString().contains(wanted)) {
						return text.toString();
					}
				}
				Thread.sleep(50);
			}
			synchronized (text) {
				throw new AssertionError("no '" + wanted + "' within " + timeout + " in: " + text);
			}
		}
	}

	private WebSocket open(String cookie, String origin, long ve, Screen screen) {
		return open(cookie, origin, ve, screen, "");
	}

	private WebSocket open(String cookie, String origin, long ve, Screen screen, String query) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
		if (cookie != null) {
			builder.header("Cookie", cookie);
		}
		if (origin != null) {
			builder.header("Origin", origin);
		}
		return builder.buildAsync(URI.create("ws://localhost:" + port + "/console/" + ve + "?rows=30&cols=100" + query), screen)
			.join();
	}

	private String own() {
		return "http://localhost:" + port;
	}

	@Test
	void theOwnerGetsAShellThatFollowsTheTerminalSizeAndEndsWithTheSocket() throws Exception {
		String cookie = sessionCookie("con-owner", PASSWORD);
		Screen screen = new Screen();
		WebSocket socket = open(cookie, own(), veId, screen);
		socket.sendText("0hostname; stty size\r", true).join();
		screen.awaitText("console.example.com", Duration.ofSeconds(10));
		screen.awaitText("30 100", Duration.ofSeconds(5));
		socket.sendText("1 45,132", true).join();
		socket.sendText("0stty size; echo $TERM; echo ma''rker\r", true).join();
		screen.awaitText("45 132", Duration.ofSeconds(5));
		screen.awaitText("xterm-256color", Duration.ofSeconds(5));
		screen.awaitText("marker", Duration.ofSeconds(5));
		assertThat(audit.find(new AuditFilter("con-owner", "VE_CONSOLE_OPEN", null, null, null), 0).getContent())
			.isNotEmpty();

		socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
		String engineName = management.owned(owner, veId).getEngineName();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String shells;
		do {
			Thread.sleep(200);
			Process ps = engine.exec(engineName, List.of("sh", "-c", "ps -o pid,args | grep -c '[s]h -l'"))
				.redirectErrorStream(true).start();
			shells = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			ps.waitFor(5, TimeUnit.SECONDS);
		}
		while (!shells.equals("0") && System.nanoTime() < deadline);
		assertThat(shells).as("closing the page ends the shell").isEqualTo("0");
	}

	@Test
	void theOwnerAttachesToTheVesOwnConsoleAndSeesWhatItPrinted() throws Exception {
		String engineName = management.owned(owner, veId).getEngineName();
		Process early = engine.exec(engineName, List.of("sh", "-c", "echo printed-before-the-page-opened > /dev/console")).start();
		assertThat(early.waitFor(10, TimeUnit.SECONDS)).isTrue();
		Screen screen = new Screen();
		WebSocket socket = open(sessionCookie("con-owner", PASSWORD), own(), veId, screen, "&source=console");
		screen.awaitText("printed-before-the-page-opened", Duration.ofSeconds(10));
		Process later = engine.exec(engineName, List.of("sh", "-c", "echo printed-while-attached > /dev/console")).start();
		assertThat(later.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String seen = screen.awaitText("printed-while-attached", Duration.ofSeconds(10));
		assertThat(seen).doesNotContain("cairn-launcher").doesNotContain(engineName);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
		assertThat(engine.status(engineName).state()).as("detaching leaves the VE running").isEqualTo(VeState.RUNNING);
	}

	@Test
	void onlyTheOwnerAndAdminsFromThePanelsOwnOriginGetAConsole() throws Exception {
		String owner = sessionCookie("con-owner", PASSWORD);
		java.time.Instant before = java.time.Instant.now();
		assertThatThrownBy(() -> open(owner, "https://evil.example", veId, new Screen()))
			.isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class)
			.satisfies(ex -> assertThat(((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode())
				.isEqualTo(403));
		assertThat(audit.find(new AuditFilter("con-owner", "VE_CONSOLE_OPEN", org.cairn.panel.audit.Outcome.FAILURE, before,
				null), 0).getContent()).as("the foreign origin's refusal is recorded as refused").isNotEmpty();
		assertThat(audit.find(new AuditFilter("con-owner", "VE_CONSOLE_OPEN", org.cairn.panel.audit.Outcome.SUCCESS, before,
				null), 0).getContent()).as("and not as an opening").isEmpty();
		assertThat(status(sessionCookie("con-other", PASSWORD), own(), veId)).as("another customer").isEqualTo(404);
		assertThat(status(sessionCookie("con-support", PASSWORD), own(), veId)).as("support").isEqualTo(403);
		assertThat(status(null, own(), veId)).as("anonymous").isIn(302, 401);
		assertThat(status(owner, own(), 999_999)).isEqualTo(404);

		Screen admin = new Screen();
		WebSocket socket = open(sessionCookie(PanelTest.ADMIN, PanelTest.ADMIN_PASSWORD), own(), veId, admin);
		socket.sendText("0hostname\r", true).join();
		admin.awaitText("console.example.com", Duration.ofSeconds(10));
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	private int status(String cookie, String origin, long ve) {
		try {
			open(cookie, origin, ve, new Screen()).sendClose(WebSocket.NORMAL_CLOSURE, "").join();
			return 101;
		}
		catch (CompletionException ex) {
			return ((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode();
		}
	}

	@Test
	void aStoppedOrSuspendedVeSaysSoAndAnIdleConsoleCloses() throws Exception {
		String cookie = sessionCookie("con-owner", PASSWORD);
		Screen idle = new Screen();
		open(cookie, own(), veId, idle);
		assertThat(idle.closed.get(15, TimeUnit.SECONDS)).startsWith("4001");
		assertThat(idle.text.toString()).contains("no input for");

		String engineName = management.owned(owner, veId).getEngineName();
		engine.stop(engineName, Duration.ofSeconds(5));
		try {
			Screen stopped = new Screen();
			open(cookie, own(), veId, stopped);
			assertThat(stopped.closed.get(10, TimeUnit.SECONDS)).startsWith("4000");
			assertThat(stopped.text.toString()).contains("console.example.com is stopped; start it");
		}
		finally {
			engine.start(engineName);
		}
		engine.suspend(engineName);
		try {
			Screen suspended = new Screen();
			open(cookie, own(), veId, suspended);
			assertThat(suspended.closed.get(10, TimeUnit.SECONDS)).startsWith("4000");
			assertThat(suspended.text.toString()).contains("console.example.com is suspended; resume it");
		}
		finally {
			engine.resume(engineName);
		}
	}
}
