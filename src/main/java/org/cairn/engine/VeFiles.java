// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cairn.engine.launcher.Launcher;

/**
 * Small files inside a VE, read and written as the VE's root by the host's static busybox with the VE's own
 * root as its root: a link the VE's owner planted resolves inside the VE, never on the host.
 */
final class VeFiles {

	private static final String BUSYBOX = "/bin/busybox";

	private static final int MISSING = 3;

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final Launcher launcher;

	private final long pid;

	private final VeDirectory ve;

	/** The files of {@code ve}, whose namespaces {@code pid} holds; its helpers are recorded there (VeHelpers). */
	VeFiles(Launcher launcher, long pid, VeDirectory ve) {
		this.launcher = launcher;
		this.pid = pid;
		this.ve = ve;
	}

	/** The file's text, or empty when the VE has no such regular file. */
	Optional<String> read(String path) {
		// shell built-ins only: the VE's view has no /proc for busybox to run its other applets from
		Result result = run("[ -f \"$1\" ] || exit " + MISSING
				+ "; while IFS= read -r line || [ -n \"$line\" ]; do printf '%s\\n' \"$line\"; done < \"$1\"", path);
		if (result.exitCode() == MISSING) {
			return Optional.empty();
		}
		result.check("read " + path);
		return Optional.of(result.out());
	}

	/**
	 * Replaces the file by a new one with {@code mode}, written aside and renamed into place. The content goes
	 * through a pipe, never the command line (it may be /etc/shadow). The file aside is made anew and never
	 * opened if something is there ({@code set -C}): a FIFO the VE planted cannot hold the engine up.
	 */
	void write(String path, String content, String mode) {
		String text = content.endsWith("\n") ? content : content + "\n";
		runWithInput(text, "umask 077; rm -f \"$1.cairn-new\" && set -C"
				+ " && while IFS= read -r line; do printf '%s\\n' \"$line\"; done > \"$1.cairn-new\" && chmod " + mode
				+ " \"$1.cairn-new\" && mv -f \"$1.cairn-new\" \"$1\"", path).check("write " + path);
	}

	void makeDirectory(String path, String mode) {
		run("mkdir -p \"$1\" && chmod " + mode + " \"$1\"", path).check("make " + path);
	}

	private Result run(String script, String... args) {
		return runWithInput(null, script, args);
	}

	/**
	 * Runs the script with {@code input} on its standard input. A file the VE swapped for a FIFO between the
	 * script's check and its open could block it: the deadline ends it then.
	 */
	private Result runWithInput(String input, String script, String... args) {
		List<String> command = new ArrayList<>(List.of(BUSYBOX, "sh", "-c", script, "sh"));
		command.addAll(List.of(args));
		HelperProcess.Output result = HelperProcess.run(launcher.files(pid, true, command).redirectErrorStream(true),
				DEADLINE, input == null ? null : input.getBytes(StandardCharsets.UTF_8), process -> VeHelpers.track(ve, process));
		return new Result(result.exitCode(), result.out());
	}

	private record Result(int exitCode, String out) {

		void check(String what) {
			if (exitCode != 0) {
				throw new EngineException("Cannot " + what + " in the VE: " + out.strip());
			}
		}
	}
}
