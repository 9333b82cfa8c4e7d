// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.TestEngine;
import picocli.CommandLine;

/**
 * One {@code cairn} command run in the test's JVM against a test engine's root: its exit code, what the verb
 * printed and what picocli's error handler wrote.
 */
record CliRun(int exitCode, String out, String err) {

	static CliRun of(TestEngine test, List<String> extraOptions, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--root", test.settings.root().toString(), "--cgroup-parent", test.settings.cgroupParent(),
				"--first-uid", Long.toString(test.settings.firstUid())));
		all.addAll(extraOptions);
		StringWriter err = new StringWriter();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PrintStream previous = System.out;
		System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
		try {
			Invocation call = Invocation.of(all.toArray(String[]::new));
			CommandLine cli = call.commandLine();
			cli.setErr(new PrintWriter(err));
			int code = call.execute();
			return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
		}
		finally {
			System.setOut(previous);
		}
	}
}
