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
		Invocation call = Invocation.of(args);
			CommandLine cli = call.commandLine();
		cli.setOut(new PrintWriter(out));
		cli.setErr(new PrintWriter(err));
		int code = call.execute();
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void everyVerbHasHelp() {
		Run root = run("--help");
		assertThat(root.exitCode()).isZero();
		assertThat(root.out()).contains("Usage: cairn").contains("serve");
		checkHelp(new CommandLine(new CairnCommand()), new java.util.ArrayList<>());
	}

	/** Every verb at every depth: cairn serve, cairn ve start, cairn template build ... */
	private void checkHelp(CommandLine command, java.util.List<String> path) {
		for (var sub : command.getSubcommands().entrySet()) {
			java.util.List<String> verb = new java.util.ArrayList<>(path);
			verb.add(sub.getKey());
			java.util.List<String> args = new java.util.ArrayList<>(verb);
			args.add("--help");
			Run help = run(args.toArray(String[]::new));
			assertThat(help.exitCode()).as(String.join(" ", verb)).isZero();
			assertThat(help.out()).as(String.join(" ", verb)).contains("Usage: cairn " + String.join(" ", verb));
			checkHelp(sub.getValue(), verb);
		}
	}

	@Test
	void versionNeedsNoVerb() {
		for (String option : new String[] { "--version", "-V" }) {
			Run version = run(option);
			assertThat(version.exitCode()).isZero();
			assertThat(version.out()).startsWith("cairn ");
		}
	}

	@Test
	void engineVerbsExist() {
		Run ve = run("ve", "--help");
		assertThat(ve.out()).contains("create", "start", "stop", "restart", "suspend", "resume", "destroy", "status",
				"list", "exec");
		assertThat(run("template", "--help").out()).contains("build", "list");
	}

	@Test
	void anEngineErrorIsAMessageNotAStackTrace() throws Exception {
		java.nio.file.Path root = java.nio.file.Files.createTempDirectory("cairn-cli-test-");
		try {
			Run bad = run("ve", "status", "Bad_Name", "--root", root.toString());
			assertThat(bad.exitCode()).isEqualTo(1);
			assertThat(bad.err()).contains("name: 'Bad_Name' is not a valid VE name").doesNotContain("\tat ");
		}
		finally {
			org.cairn.engine.Trees.delete(root);
		}
	}

	@Test
	void unknownVerbIsRefused() {
		Run bad = run("frobnicate");
		assertThat(bad.exitCode()).isNotZero();
		assertThat(bad.err()).contains("frobnicate");
	}
}
