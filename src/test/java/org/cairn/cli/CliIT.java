// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.TestEngine;
import org.cairn.engine.Trees;
import org.cairn.engine.VeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cairn} command as the package installs it (deploy/bin/cairn over target/cli, as /usr/bin/cairn runs
 * /usr/share/cairn): its verbs run on Cairn's classes and a few libraries without Spring or the panel, from an
 * ahead-of-time cache; the completion script and the manual pages the build generated match the verbs.
 */
class CliIT {

	private static TestEngine test;

	private static Path work;

	@BeforeAll
	static void open() throws Exception {
		test = TestEngine.create("auto");
		test.engine.create(new VeSpec("web", "busybox", "web"));
		test.engine.start("web");
		work = Files.createTempDirectory("cairn-cli-it-");
		// an engine root must be reachable by VEs' users, also the one the AOT cache is trained on
		Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
	}

	@AfterAll
	static void close() {
		try {
			if (test != null) {
				test.close();
			}
		}
		finally {
			if (work != null) {
				Trees.delete(work);
			}
		}
	}

	private record Run(int exitCode, String out, String err) {
	}

	private static Run cairn(Map<String, String> environment, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of("deploy/bin/cairn").toAbsolutePath().toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("CAIRN_HOME", Path.of("target").toAbsolutePath().toString());
		builder.environment().put("CAIRN_AOT_CACHE", work.resolve("cli.aot").toString());
		builder.environment().put("CAIRN_ROOT", test.settings.root().toString());
		builder.environment().put("CAIRN_CGROUP_PARENT", test.settings.cgroupParent());
		builder.environment().put("CAIRN_FIRST_UID", Long.toString(test.settings.firstUid()));
		builder.environment().putAll(environment);
		Path out = Files.createTempFile(work, "out", ".txt");
		Path err = Files.createTempFile(work, "err", ".txt");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
		return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
	}

	private static Run cairn(String... args) throws Exception {
		return cairn(Map.of(), args);
	}

	@Test
	void aVerbRunsWithoutSpringOrThePanelFromTheAheadOfTimeCache() throws Exception {
		Path training = Files.createDirectories(work.resolve("training-root"));
		Run trained = cairn(Map.of("CAIRN_AOT_TRAIN", "1"), "ve", "list", "--root", training.toString());
		assertThat(trained.exitCode()).as(trained.err()).isZero();
		assertThat(work.resolve("cli.aot")).isNotEmptyFile();

		Path loaded = work.resolve("classes.log");
		Run list = cairn(Map.of("CAIRN_JAVA_OPTIONS", "-Xlog:class+load:file=" + loaded), "ve", "list", "-o", "name,state");
		assertThat(list.exitCode()).as(list.err()).isZero();
		assertThat(list.out()).isEqualTo("NAME\tSTATE\nweb\trunning\n");
		List<String> classes = Files.readAllLines(loaded);
		assertThat(classes).as("classes loaded by cairn ve list").isNotEmpty()
			.noneMatch(line -> line.contains(" org.springframework.") || line.contains(" org.cairn.panel."));
		// the verb's classes came from the cache, not from the jar
		assertThat(classes).anyMatch(line -> line.contains(" org.cairn.cli.Invocation source: shared objects file"));

		assertThat(cairn("ve", "status", "nothing-here").exitCode()).isEqualTo(3);
		Run exec = cairn("ve", "exec", "web", "--", "/bin/sh", "-c", "hostname; exit 7");
		assertThat(exec.exitCode()).isEqualTo(7);
		assertThat(exec.out()).isEqualTo("web\n");
	}

	@Test
	void aVeIsCheckpointedAndRestoredFromTheCommandLine() throws Exception {
		test.engine.create(new VeSpec("saved", "busybox", "saved"));
		test.engine.start("saved");
		try {
			Run saved = cairn("ve", "checkpoint", "saved");
			assertThat(saved.exitCode()).as(saved.err()).isZero();
			assertThat(saved.out()).contains("saved saved: ", "MB of processes", "saved stopped", "its next start restores it");
			assertThat(cairn("ve", "checkpoint").exitCode()).as("a VE or --all").isEqualTo(2);
			Run restored = cairn("ve", "restore", "--all");
			assertThat(restored.exitCode()).as(restored.err()).isZero();
			assertThat(restored.out()).isEqualTo("restored saved\n");
			assertThat(test.engine.status("saved").state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
			assertThat(test.engine.status("web").state()).as("left as it was").isEqualTo(org.cairn.engine.VeState.RUNNING);
			Run none = cairn("ve", "restore", "saved");
			assertThat(none.exitCode()).isNotZero();
			assertThat(none.err()).contains("no checkpoint");
		}
		finally {
			test.engine.destroy("saved");
		}
	}

	@Test
	void everyVerbRunsFromThePackagedLayout() throws Exception {
		List<List<String>> verbs = new ArrayList<>();
		collect(CairnCommand.commandLine(), new ArrayList<>(), verbs);
		assertThat(verbs).hasSizeGreaterThan(30);
		for (List<String> verb : verbs) {
			List<String> args = new ArrayList<>(verb);
			args.add("--help");
			Run help = cairn(args.toArray(String[]::new));
			assertThat(help.exitCode()).as(String.join(" ", verb) + ": " + help.err()).isZero();
			assertThat(help.out()).startsWith("Usage: cairn " + String.join(" ", verb));
		}
		// template import reads archives with commons-compress, one of the libraries the command carries
		Path archive = work.resolve("rootfs.tar.xz");
		Path rootfs = test.settings.root().resolve("templates/busybox/rootfs");
		Process tar = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cJf", archive.toString(), ".").inheritIO()
			.start();
		assertThat(tar.waitFor()).isZero();
		Run imported = cairn("template", "import", "mybox", archive.toString());
		assertThat(imported.exitCode()).as(imported.err()).isZero();
		assertThat(cairn("template", "list", "-o", "name", "--no-headers").out()).contains("mybox\n");
	}

	private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
		for (var sub : command.getSubcommands().entrySet()) {
			List<String> verb = new ArrayList<>(path);
			verb.add(sub.getKey());
			into.add(verb);
			collect(sub.getValue(), verb, into);
		}
	}

	@Test
	void bashCompletesVerbsOptionsColumnsAndTheNamesOnTheRoot() throws Exception {
		Path root = Files.createDirectories(work.resolve("completion-root"));
		Files.createDirectories(root.resolve("ves/db1"));
		Files.createDirectories(root.resolve("ves/web1"));
		Files.createDirectories(root.resolve("ves/.new-half-made-1"));
		Files.createDirectories(root.resolve("templates/debian-12"));
		assertThat(complete(root, "cairn", "")).containsExactly("serve", "ve", "template", "node", "backup");
		assertThat(complete(root, "cairn", "ve", "sta")).containsExactly("start", "status");
		assertThat(complete(root, "cairn", "ve", "start", "")).containsExactly("db1", "web1");
		assertThat(complete(root, "cairn", "ve", "snapshot", "create", "w")).containsExactly("web1");
		assertThat(complete(root, "cairn", "ve", "create", "x", "--template", "")).containsExactly("debian-12");
		assertThat(complete(root, "cairn", "ve", "list", "-o", "")).contains("name", "state", "ip", "pid");
		assertThat(complete(root, "cairn", "ve", "list", "--j")).containsExactly("--json");
		// a --root on the line wins over $CAIRN_ROOT
		Path other = Files.createDirectories(work.resolve("other-root/ves/elsewhere"));
		assertThat(complete(root, "cairn", "ve", "stop", "--root", other.getParent().getParent().toString(), ""))
			.containsExactly("elsewhere");
	}

	@Test
	void zshTakesTheSameScriptThroughBashcompinit() throws Exception {
		Process zsh = new ProcessBuilder("zsh", "-f", "-c", "autoload -U +X compinit && compinit -u"
				+ " && autoload -U +X bashcompinit && bashcompinit && source target/cli/completion/cairn.bash"
				+ " && print -r -- ${_comps[cairn]}").redirectErrorStream(true).start();
		String out = new String(zsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(zsh.waitFor()).as(out).isZero();
		assertThat(out.strip()).isEqualTo("_bash_complete -F _complete_cairn -o default");
		assertThat(Files.readString(Path.of("target/cli/completion/_cairn"))).startsWith("#compdef cairn\n");
	}

	private static List<String> complete(Path root, String... words) throws Exception {
		StringBuilder line = new StringBuilder();
		for (String word : words) {
			line.append(" '").append(word).append('\'');
		}
		String script = "source target/cli/completion/cairn.bash\n" + "COMP_WORDS=(" + line + " )\n"
				+ "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
				+ "_complete_cairn cairn \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
				+ "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
		builder.environment().put("CAIRN_ROOT", root.toString());
		Process bash = builder.start();
		String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(bash.waitFor()).isZero();
		return out.lines().filter(s -> !s.isBlank()).toList();
	}

	@Test
	void theManualPagesDescribeEveryVerbAndRenderWithoutWarnings() throws IOException, InterruptedException {
		Path man = Path.of("target/cli/man");
		for (String page : List.of("cairn", "cairn-serve", "cairn-ve", "cairn-template", "cairn-node", "cairn-backup")) {
			Path file = man.resolve(page + ".1.gz");
			assertThat(file).exists();
			Process groff = new ProcessBuilder("sh", "-c", "zcat " + file + " | groff -man -ww -Tutf8 -z 2>&1").start();
			String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(groff.waitFor()).isZero();
			assertThat(warnings).as(page).isEmpty();
		}
		Process render = new ProcessBuilder("sh", "-c", "MANWIDTH=200 man -l target/cli/man/cairn-ve.1.gz | col -b")
			.start();
		String text = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(render.waitFor()).isZero();
		for (String verb : CairnCommand.commandLine().getSubcommands().get("ve").getSubcommands().keySet()) {
			assertThat(text).contains("cairn ve " + verb);
		}
		assertThat(text).contains("--wait=SECONDS", "Not found: no such VE");
	}
}
