// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's secrets never reach a VE. This JVM plays the panel and the CLI: Maven gives it the environment
 * variable {@value #MARKER_NAME}, as a panel's service has its database password; a customer, root in the VE,
 * looks for it everywhere a process of the VE can look.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VeSecretsTests {

	static final String MARKER_NAME = "CAIRN_SECRET_MARKER";

	private TestEngine test;

	private VeEngine engine;

	private String marker;

	@BeforeAll
	void startAVe() throws Exception {
		marker = System.getenv(MARKER_NAME);
		assertThat(marker).as("the build gives this JVM a secret to look for (pom.xml, surefire)").isNotBlank();
		test = TestEngine.create("auto");
		engine = test.engine;
		engine.create(new VeSpec("secrets", "busybox", "secrets.example.com"));
		engine.start("secrets");
	}

	@AfterAll
	void destroy() {
		test.close();
	}

	@Test
	void aCommandRunInTheVeGetsTheVesEnvironmentOnly() {
		String env = test.sh("secrets", "env").output();
		assertThat(env).doesNotContain(marker).contains("container=cairn").contains("PATH=").contains("HOME=/root");
		// also when a caller adds to the launcher's environment: the launcher passes none of its own into the VE
		ProcessBuilder leaky = engine.exec("secrets", List.of("/bin/sh", "-c", "env; cat /proc/$$/environ"));
		leaky.environment().put("LEAKED_BY_A_CALLER", marker);
		assertThat(run(leaky)).doesNotContain(marker).doesNotContain("LEAKED_BY_A_CALLER");
	}

	@Test
	void noProcessOfTheVeHoldsTheSecretInItsEnvironment() throws Exception {
		// a rename and a root password change run helpers on the VE's files meanwhile
		engine.setHostname("secrets", "renamed.example.com");
		engine.setRootAccess("secrets", "a-root-password-of-the-customer", null);
		String all = test.sh("secrets", "for e in /proc/[0-9]*/environ; do cat $e; echo; done | tr '\\0' '\\n'").output();
		assertThat(all).contains("container=cairn").doesNotContain(marker);
		String cmdlines = test.sh("secrets", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '").output();
		assertThat(cmdlines).doesNotContain("a-root-password-of-the-customer");
	}

	@Test
	void theBrowserConsoleShowsNoSecretEither() throws Exception {
		try (VeConsole console = engine.console("secrets", List.of("/bin/sh"), 24, 80)) {
			console.input().write("env; echo END-OF\"\"-ENV\n".getBytes(StandardCharsets.UTF_8));
			console.input().flush();
			String screen = readUntil(console.output(), "END-OF-ENV\r\n", Duration.ofSeconds(10));
			assertThat(screen).contains("TERM=xterm-256color").contains("container=cairn").doesNotContain(marker);
		}
	}

	@Test
	void theHostNameIsSetWithoutRunningTheVesOwnProgram() {
		// a hostname program the customer replaced: the engine never runs it on the node's behalf
		test.sh("secrets", "rm -f /bin/hostname; printf '#!/bin/sh\\necho ran > /tmp/hostname-ran\\nenv > /tmp/hostname-env\\n'"
				+ " > /bin/hostname; chmod 755 /bin/hostname");
		engine.setHostname("secrets", "fresh.example.com");
		assertThat(test.sh("secrets", "cat /proc/sys/kernel/hostname; ls /tmp").output()).contains("fresh.example.com")
			.doesNotContain("hostname-ran");
	}

	private static String run(ProcessBuilder builder) {
		return HelperProcess.run(builder.redirectErrorStream(true), Duration.ofSeconds(30)).out();
	}

	/** What {@code in} gives until {@code end} shows or the time is up; the reading goes on until {@code in} closes. */
	static String readUntil(InputStream in, String end, Duration timeout) throws Exception {
		ByteArrayOutputStream seen = new ByteArrayOutputStream();
		Thread reader = Thread.ofVirtual().start(() -> {
			byte[] buf = new byte[4096];
			try {
				for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
					synchronized (seen) {
						seen.write(buf, 0, n);
						if (seen.toString(StandardCharsets.UTF_8).contains(end)) {
							return;
						}
					}
				}
			}
			catch (java.io.IOException ex) {
				// closed
			}
		});
		reader.join(timeout);
		synchronized (seen) {
			return seen.toString(StandardCharsets.UTF_8);
		}
	}
}
