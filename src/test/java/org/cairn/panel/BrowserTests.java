// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.TestEngine;
import org.cairn.engine.Trees;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the browser tests in frontend/tests (Playwright driving Debian's Chromium, headless) against the
 * panel served on a random local port. Screenshots go to frontend/test-results/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD, "cairn.usage.sample-every=PT2S",
				"cairn.fleet.check-every=PT2S" })
class BrowserTests {

	@org.springframework.beans.factory.annotation.Autowired
	org.cairn.panel.dns.PtrDesk ptr;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, TestDatabase.shared());
		PanelEngine.register(registry);
	}

	@Test
	void browserFlowsPass() throws Exception {
		// -Dbrowser.tests=tests/firewall.test.mjs runs one flow while working on it; CI runs them all
		String tests = System.getProperty("browser.tests", "tests/");
		if (tests.equals("tests/") || tests.contains("systemd")) {
			// the systemd flow needs debian-12, built (once per test run) into the panel's engine
			PanelEngine.shared().installTemplate("debian-12");
		}
		// the fleet flow's second node: an engine of its own, whose agent the flow starts after joining
		TestEngine node = TestEngine.create("auto");
		Path identity = Files.createTempDirectory("cairn-browser-node-");
		try {
			run(tests, node, identity);
		}
		finally {
			Path pid = identity.resolve("agent.pid");
			if (Files.exists(pid)) {
				ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(agent -> {
					agent.destroyForcibly();
					agent.onExit().join();
				});
			}
			node.close();
			Trees.delete(identity);
		}
	}

	private void run(String tests, TestEngine engine, Path identity) throws Exception {
		File frontend = new File("frontend");
		ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", tests).directory(frontend)
			.redirectErrorStream(true);
		node.environment().put("CAIRN_URL", "http://localhost:" + port);
		node.environment().put("CAIRN_ADMIN_USER", PanelTest.ADMIN);
		node.environment().put("CAIRN_ADMIN_PASSWORD", PanelTest.ADMIN_PASSWORD);
		// where the panel's PowerDNS answers: the reverse DNS flow reads its PTR back with dig
		node.environment().put("CAIRN_DNS", ptr.managedListen().orElse(""));
		node.environment().put("CAIRN_NODE_JAVA", ProcessHandle.current().info().command().orElse("java"));
		node.environment().put("CAIRN_NODE_CLASSPATH", System.getProperty("java.class.path"));
		node.environment().put("CAIRN_NODE_DIR", identity.toString());
		node.environment().put("CAIRN_NODE_PORT", Integer.toString(freePort()));
		node.environment().put("CAIRN_NODE_ROOT", engine.settings.root().toString());
		node.environment().put("CAIRN_NODE_CGROUP_PARENT", engine.settings.cgroupParent());
		node.environment().put("CAIRN_NODE_FIRST_UID", Long.toString(engine.settings.firstUid()));
		Process process = node.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		boolean finished = process.waitFor(5, TimeUnit.MINUTES);
		System.out.println(output);
		assertThat(finished).as("browser tests finished within 5 minutes").isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).containsPattern("pass [1-9]").containsPattern("fail 0");
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}
