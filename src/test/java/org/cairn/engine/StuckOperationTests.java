// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A VE cannot hold up an operation of the engine's: nothing the VE controls runs on the node's behalf, files
 * the engine opens inside are never FIFOs, and every helper has a deadline that fires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StuckOperationTests {

	private TestEngine test;

	private VeEngine engine;

	@BeforeAll
	void startAVe() throws Exception {
		test = TestEngine.create("auto");
		engine = test.engine;
		engine.create(new VeSpec("sticky", "busybox", "sticky.example.com"));
		engine.start("sticky");
	}

	@AfterAll
	void destroy() {
		test.close();
	}

	@Test
	void aHostnameProgramThatNeverEndsHoldsNothingUp() {
		test.sh("sticky", "rm -f /bin/hostname; printf '#!/bin/sh\\nsleep 100000\\n' > /bin/hostname; chmod 755 /bin/hostname");
		long t0 = System.nanoTime();
		engine.setHostname("sticky", "first.example.com");
		assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
		assertThat(test.sh("sticky", "cat /proc/sys/kernel/hostname /etc/hostname").output())
			.isEqualTo("first.example.com\nfirst.example.com\n");
		assertThat(engine.suspend("sticky").state()).isEqualTo(VeState.SUSPENDED);
		assertThat(engine.resume("sticky").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void aFifoPlantedWhereTheEngineWritesHoldsNothingUp() {
		test.sh("sticky", "mkfifo /etc/hostname.cairn-new /etc/shadow.cairn-new");
		long t0 = System.nanoTime();
		engine.setHostname("sticky", "second.example.com");
		engine.setRootAccess("sticky", "another-root-password", null);
		assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
		assertThat(test.sh("sticky", "cat /etc/hostname; grep -c '^root:\\$6\\$' /etc/shadow; ls /etc/*.cairn-new 2>&1")
			.output()).contains("second.example.com\n1\n").contains("No such file");
	}

	@Test
	void aStopWinsOverAnOperationTheVeMadeSlow() throws Exception {
		engine.create(new VeSpec("slow", "busybox", null));
		engine.start("slow");
		// an /etc/hosts of 100 million lines: the rename reads it line by line for minutes
		test.sh("slow", "head -c 100000000 /dev/zero | tr '\\0' '\\n' > /etc/hosts");
		java.util.concurrent.CompletableFuture<Object> rename = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> engine.setHostname("slow", "renamed.example.com"));
		TestEngine.waitFor(() -> java.nio.file.Files.isDirectory(test.settings.root().resolve("ves/slow/state/helpers"))
				&& test.settings.root().resolve("ves/slow/state/helpers").toFile().list().length > 0,
				Duration.ofSeconds(10), "the rename is at work");
		Thread.sleep(1500); // past writing /etc/hostname, into reading /etc/hosts
		long t0 = System.nanoTime();
		assertThat(engine.stop("slow", Duration.ofSeconds(5)).state()).isEqualTo(VeState.STOPPED);
		assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the stop did not wait for the rename")
			.isLessThan(Duration.ofSeconds(15));
		assertThat(rename).failsWithin(Duration.ofSeconds(10));
		engine.destroy("slow");
	}

	@Test
	void aHelperPastItsDeadlineIsKilledEvenIfItsChildHoldsItsOutput() {
		// the child keeps the pipe open after its parent ends: a read to the end would wait for good
		ProcessBuilder stuck = HelperProcess.command("/bin/sh", "-c", "sleep 100 & echo started; sleep 100");
		long t0 = System.nanoTime();
		assertThatThrownBy(() -> HelperProcess.run(stuck, Duration.ofMillis(500)))
			.hasMessageContaining("sh did not finish within 500 ms; it was stopped");
		assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
		TestEngine.waitFor(() -> TestEngine.run("sh", "-c", "ps -eo args | grep -c '^sleep 100$' || true").strip().equals("0"),
				Duration.ofSeconds(5), "no sleep of the helper's is left");
	}

	@Test
	void helpersGetTheirOwnEnvironment() {
		String env = HelperProcess.run(HelperProcess.command(List.of("/usr/bin/env")), Duration.ofSeconds(10)).out();
		assertThat(env).contains("PATH=" + HelperProcess.PATH).doesNotContain(VeSecretsTests.MARKER_NAME);
	}
}
