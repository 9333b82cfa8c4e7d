// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VE's console is a terminal of its own, whose log costs the node at most its cap: what the VE writes to
 * /dev/console never fills the node's disk past the VE's quota, and nothing inside refers to a node's file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleLogTests {

	private TestEngine test;

	private VeEngine engine;

	@BeforeAll
	void startAVe() throws Exception {
		test = TestEngine.create("auto");
		engine = test.engine;
		engine.create(new VeSpec("talker", "busybox", null, null, null,
				ResourceLimits.NONE.withDisk(64L << 20, 0)));
		engine.start("talker");
	}

	@AfterAll
	void destroy() {
		test.close();
	}

	private Path log() {
		return test.settings.root().resolve("ves/talker/console.log");
	}

	@Test
	void floodingTheConsoleCostsTheNodeAtMostTheCap() throws Exception {
		TestEngine.Result flood = test.sh("talker", "dd if=/dev/zero of=/dev/console bs=1M count=300 2>&1; echo rc=$?");
		assertThat(flood.output()).contains("rc=0");
		Path previous = log().resolveSibling("console.log.1");
		TestEngine.waitFor(() -> Files.exists(previous), Duration.ofSeconds(10), "the log turned over");
		long total = Files.size(log()) + Files.size(previous);
		assertThat(total).as("both halves of the console log").isLessThanOrEqualTo(VeDirectory.CONSOLE_BYTES);
		for (Path file : new Path[] { log(), previous }) {
			assertThat(Files.getOwner(file).getName()).isEqualTo("root");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		}
		// the VE's root owns its console terminal, not a file of the node
		assertThat(test.sh("talker", "chmod 6755 /dev/console; echo done").output()).contains("done");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log()))).isEqualTo("rw-------");
	}

	@Test
	void noFileOfTheVesProcessesIsANodePath() {
		String fds = test.sh("talker", "ls -l /proc/[0-9]*/fd/ 2>/dev/null").output();
		assertThat(fds).contains("/dev/console").doesNotContain(test.settings.root().toString())
			.doesNotContain("console.log");
		assertThat(test.sh("talker", "readlink /proc/1/fd/1").output().strip()).isEqualTo("/dev/console");
	}

	@Test
	void theCliAndThePanelAttachAndAGettyOnTheConsoleWorks() throws Exception {
		try (VeConsole console = engine.attachConsole("talker")) {
			test.sh("talker", "echo printed-by-init-scripts > /dev/console");
			assertThat(VeSecretsTests.readUntil(console.output(), "printed-by-init-scripts", Duration.ofSeconds(10)))
				.contains("printed-by-init-scripts");
			// a getty that runs a shell on the console, as a customer's inittab would have one
			test.sh("talker", "setsid getty -n -l /bin/sh 38400 console > /dev/null 2>&1 < /dev/null &");
			Thread.sleep(300);
			console.input().write("echo typed-on-the-con\"\"sole $((6*7))\n".getBytes(StandardCharsets.UTF_8));
			console.input().flush();
			assertThat(VeSecretsTests.readUntil(console.output(), "typed-on-the-console 42", Duration.ofSeconds(10)))
				.contains("typed-on-the-console 42");
		}
		assertThat(engine.consoleLog("talker", 4096)).contains("typed-on-the-console 42");
	}
}
