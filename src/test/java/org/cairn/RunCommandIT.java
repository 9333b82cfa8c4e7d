// SPDX-License-Identifier: Apache-2.0
package org.cairn;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cairn.panel.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The newcomer's path on the packaged jar: {@code cairn.jar serve} with no database configured creates
 * and starts its own PostgreSQL, prints the first admin's one-time password, stops the cluster when it
 * stops, and keeps the data for the next start.
 */
class RunCommandIT {

	private Path dataDir;

	private Process panel;

	private final StringBuffer output = new StringBuffer();

	@AfterEach
	void stop() throws Exception {
		if (panel != null && panel.isAlive()) {
			panel.destroy();
			panel.waitFor(60, TimeUnit.SECONDS);
		}
		if (dataDir != null && Files.exists(dataDir.resolve("postgres/postmaster.pid"))) {
			new ProcessBuilder("runuser", "-u", "postgres", "--", pgCtl(), "-D", dataDir.resolve("postgres").toString(),
					"-m", "immediate", "stop").inheritIO().start().waitFor();
		}
		if (dataDir != null) {
			TestDatabase.deleteTree(dataDir);
		}
	}

	private static String pgCtl() {
		return org.cairn.panel.database.ManagedPostgres.findServerBinaries().orElseThrow().resolve("pg_ctl").toString();
	}

	private int start(int port, String readyWhen) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		output.setLength(0);
		// its PowerDNS on a free port: never the one a panel serving on this machine answers on
		panel = new ProcessBuilder(java, "-jar", "target/cairn.jar", "--server.port=" + port,
				"--cairn.data-dir=" + dataDir, "--cairn.dns.listen=127.0.0.1:0").redirectErrorStream(true).start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(panel.getInputStream()))) {
				String line;
				while ((line = lines.readLine()) != null) {
					output.append(line).append('\n');
				}
			}
			catch (Exception ex) {
				// the process ended
			}
		});
		reader.setDaemon(true);
		reader.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (!output.toString().contains(readyWhen) && System.nanoTime() < deadline && panel.isAlive()) {
			Thread.sleep(200);
		}
		assertThat(output.toString()).as("panel output").contains(readyWhen);
		return port;
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Signs in through the form and returns where the panel sends the user. */
	private static String signIn(int port, String username, String password) throws Exception {
		HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String form = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).isTrue();
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password=" + password + "&_csrf="
					+ csrf.group(1)))
			.build(), HttpResponse.BodyHandlers.ofString());
		return response.headers().firstValue("Location").orElse("");
	}

	@Test
	void servesWithItsOwnPostgresAndKeepsDataAcrossRestarts() throws Exception {
		dataDir = Files.createTempDirectory("cairn-run-it-");
		// the first admin's box comes after the "Started" line
		int port = start(freePort(), "Sign in at");
		Matcher printed = Pattern.compile("password:\\s+(\\S+)").matcher(output);
		assertThat(printed.find()).as(output.toString()).isTrue();
		String oneTimePassword = printed.group(1);
		assertThat(output.toString()).contains("user name: admin").contains("Started Cairn's own PostgreSQL");
		assertThat(Files.getOwner(dataDir.resolve("postgres")).getName()).isEqualTo("postgres");
		assertThat(signIn(port, "admin", oneTimePassword)).endsWith("/account/password");

		panel.destroy();
		assertThat(panel.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(dataDir.resolve("postgres/postmaster.pid")).as("the cluster stops with the panel").doesNotExist();

		port = start(freePort(), "Started Cairn in");
		assertThat(output.toString()).doesNotContain("first admin");
		assertThat(signIn(port, "admin", oneTimePassword)).as("the admin survived the restart")
			.endsWith("/account/password");
		assertThat(signIn(port, "admin", "not-the-password-1")).endsWith("/login?error");
	}

	@Test
	void anUnreachableConfiguredDatabaseStopsTheStartWithOneClearMessage() throws Exception {
		dataDir = Files.createTempDirectory("cairn-run-it-");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process failing = new ProcessBuilder(java, "-jar", "target/cairn.jar", "--server.port=" + freePort(),
				"--cairn.data-dir=" + dataDir, "--cairn.dns.listen=127.0.0.1:0", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + freePort() + "/cairn")
			.redirectErrorStream(true)
			.start();
		String text = new String(failing.getInputStream().readAllBytes());
		assertThat(failing.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(failing.exitValue()).isNotZero();
		assertThat(text).contains("Cannot connect to PostgreSQL").doesNotContain("\tat ");
	}

	/** A start that cannot go on: its output's one "cairn:" line, and the exit code; never a stack trace. */
	private String refusedStart(List<String> settings, Map<String, String> environment) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", "target/cairn.jar", "--server.port="
				+ freePort(), "--cairn.engine.cgroup-parent=cairn-test-run-it", "--cairn.dns.listen=127.0.0.1:0"));
		command.addAll(settings);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process failing = builder.start();
		String text = new String(failing.getInputStream().readAllBytes());
		assertThat(failing.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(failing.exitValue()).isNotZero();
		assertThat(text).doesNotContain("\tat ").doesNotContain("APPLICATION FAILED TO START");
		return text.lines().filter(line -> line.startsWith("cairn: ")).reduce((a, b) -> a + "\n" + b).orElse(text);
	}

	@Test
	void misconfigurationAtStartIsOneClearLine() throws Exception {
		dataDir = Files.createTempDirectory("cairn-run-it-");
		Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
		assertThat(refusedStart(List.of("--cairn.data-dir=" + dataDir), Map.of("CAIRN_ADMIN_PASSWORD", "short")))
			.isEqualTo("cairn: CAIRN_ADMIN_PASSWORD (cairn.admin.password) must be at least 12 characters long; set another,"
					+ " or unset it to get a one-time password");
		assertThat(refusedStart(List.of("--cairn.data-dir=/proc/cairn-cannot-be-here"), Map.of()))
			.startsWith("cairn: cairn.data-dir (/proc/cairn-cannot-be-here): cannot make");
	}
}
