// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Every verb answers --help; an unknown verb is an error that says so. */
class CairnCommandTests {

	private record Run(int exitCode, String out, String err) {
	}

	private Run run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine cli = new CommandLine(new CairnCommand());
		cli.setOut(new PrintWriter(out));
		cli.setErr(new PrintWriter(err));
		int code = cli.execute(args);
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void everyVerbHasHelp() {
		Run root = run("--help");
		assertThat(root.exitCode()).isZero();
		assertThat(root.out()).contains("Usage: cairn").contains("serve");
		CommandLine cli = new CommandLine(new CairnCommand());
		for (String verb : cli.getSubcommands().keySet()) {
			Run help = run(verb, "--help");
			assertThat(help.exitCode()).as(verb).isZero();
			assertThat(help.out()).as(verb).contains("Usage: cairn " + verb);
		}
	}

	@Test
	void unknownVerbIsRefused() {
		Run bad = run("frobnicate");
		assertThat(bad.exitCode()).isNotZero();
		assertThat(bad.err()).contains("frobnicate");
	}
}
