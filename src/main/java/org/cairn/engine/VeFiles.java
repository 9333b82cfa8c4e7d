// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.launcher.Launcher;

/**
 * Small files inside a VE, read and written as the VE's root by the host's static busybox with the VE's own
 * root as its root: a link the VE's owner planted resolves inside the VE, never on the host.
 */
final class VeFiles {

	private static final String BUSYBOX = "/bin/busybox";

	private static final int MISSING = 3;

	private final Launcher launcher;

	private final long pid;

	VeFiles(Launcher launcher, long pid) {
		this.launcher = launcher;
		this.pid = pid;
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

	/** Replaces the file by a new one with {@code mode}, written aside and renamed into place. */
	void write(String path, String content, String mode) {
		run("umask 077; printf '%s' \"$2\" > \"$1.cairn-new\" && chmod " + mode
				+ " \"$1.cairn-new\" && mv -f \"$1.cairn-new\" \"$1\"", path, content).check("write " + path);
	}

	void makeDirectory(String path, String mode) {
		run("mkdir -p \"$1\" && chmod " + mode + " \"$1\"", path).check("make " + path);
	}

	private Result run(String script, String... args) {
		List<String> command = new ArrayList<>(List.of(BUSYBOX, "sh", "-c", script, "sh"));
		command.addAll(List.of(args));
		try {
			Process process = launcher.files(pid, true, command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(1, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new EngineException("The VE's files did not answer within a minute");
			}
			return new Result(process.exitValue(), out);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot reach the VE's files: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted");
		}
	}

	private record Result(int exitCode, String out) {

		void check(String what) {
			if (exitCode != 0) {
				throw new EngineException("Cannot " + what + " in the VE: " + out.strip());
			}
		}
	}
}
