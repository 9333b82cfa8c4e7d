// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.cairn.engine.TestEngine;
import org.cairn.engine.VeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What scripts rely on: the exit codes of {@code cairn} (0 done, 1 error, 2 usage, 3 not found, 4 busy) and the
 * columns of {@code -o}, on real VEs.
 */
class CliScriptingTests {

	private static TestEngine test;

	@BeforeAll
	static void open() throws Exception {
		test = TestEngine.create("auto");
		test.engine.create(new VeSpec("alpha", "busybox", "alpha.example"));
		test.engine.create(new VeSpec("beta", "busybox", "beta.example"));
		test.engine.start("alpha");
	}

	@AfterAll
	static void close() {
		if (test != null) {
			test.close();
		}
	}

	private static CliRun cairn(String... args) {
		return CliRun.of(test, List.of(), args);
	}

	@Test
	void exitCodesSayWhatWentWrong() {
		assertThat(cairn("ve", "status", "alpha").exitCode()).isZero();
		CliRun invalid = cairn("ve", "status", "Not_A_Name");
		assertThat(invalid.exitCode()).isEqualTo(1);
		assertThat(invalid.err()).contains("name: 'Not_A_Name' is not a valid VE name");

		CliRun missingArgument = cairn("ve", "status");
		assertThat(missingArgument.exitCode()).isEqualTo(2);
		assertThat(missingArgument.err()).contains("Missing required parameter: 'NAME'");
		assertThat(cairn("ve", "frobnicate").exitCode()).isEqualTo(2);
		assertThat(cairn("ve", "list", "--bogus").exitCode()).isEqualTo(2);

		CliRun noVe = cairn("ve", "start", "gamma");
		assertThat(noVe.exitCode()).isEqualTo(3);
		assertThat(noVe.err()).contains("there is no VE named 'gamma'").doesNotContain("\tat ");
		assertThat(cairn("ve", "snapshot", "delete", "alpha", "never-taken").exitCode()).isEqualTo(3);
		assertThat(cairn("ve", "reinstall", "beta", "--template", "no-such-template").exitCode()).isEqualTo(3);
	}

	@Test
	void aVeHeldByAnotherOperationIsBusy() throws Exception {
		// the lock another process's operation would hold; the CLI waits --wait seconds for it
		Path lockFile = test.settings.root().resolve("locks/beta.lock");
		Files.createDirectories(lockFile.getParent());
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock held = channel.lock()) {
			long started = System.nanoTime();
			CliRun busy = cairn("ve", "start", "beta", "--wait", "1");
			assertThat(busy.exitCode()).as(busy.err()).isEqualTo(4);
			assertThat(busy.err()).contains("beta: another operation on this VE has been running for more than 1 s");
			assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 10_000L);
		}
		assertThat(test.engine.status("beta").state().label()).isEqualTo("stopped");
	}

	@Test
	void listingsPrintTheColumnsAScriptAsksFor() {
		long pid = test.engine.status("alpha").initPid().getAsLong();
		CliRun listed = cairn("ve", "list", "-o", "name,state,pid,hostname");
		assertThat(listed.exitCode()).as(listed.err()).isZero();
		assertThat(listed.out()).isEqualTo("NAME\tSTATE\tPID\tHOSTNAME\nalpha\trunning\t" + pid
				+ "\talpha.example\nbeta\tstopped\t-\tbeta.example\n");
		assertThat(cairn("ve", "list", "-o", "state,name", "--no-headers").out())
			.isEqualTo("running\talpha\nstopped\tbeta\n");
		assertThat(cairn("ve", "list", "--output=name", "--no-headers").out()).isEqualTo("alpha\nbeta\n");

		CliRun unknown = cairn("ve", "list", "-o", "name,colour");
		assertThat(unknown.exitCode()).isEqualTo(2);
		assertThat(unknown.err()).contains("output: no column 'colour'; choose from name,state,template,hostname,pid");
		assertThat(unknown.out()).isEmpty();
		assertThat(cairn("ve", "list", "-o", "name", "--json").err()).contains("--json or -o, not both");

		assertThat(cairn("template", "list", "-o", "name,init", "--no-headers").out()).isEqualTo("busybox\tbusybox\n");
		assertThat(cairn("template", "list", "--json").out()).contains("{\"name\":\"busybox\",\"init\":\"busybox\"");
		assertThat(cairn("ve", "snapshot", "list", "alpha", "-o", "name").out()).isEqualTo("NAME\n");
	}
}
