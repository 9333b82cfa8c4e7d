// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;

import org.cairn.engine.VeConsole;
import org.cairn.engine.VeEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn ve console NAME}: the VE's own console (what its init prints, a getty there), as {@code vzctl
 * console} and {@code lxc-console} give it. Ctrl-] detaches; the VE goes on.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
		description = "Attach to a VE's console (its init's output, a getty); Ctrl-] detaches.")
class ConsoleCommand implements Callable<Integer> {

	/** Ctrl-], as telnet and lxc-console use it. */
	static final int DETACH = 0x1d;

	@Mixin
	EngineOptions engine;

	@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
	String name;

	@Option(names = "--log", description = "Print what the console printed lately (from the node's log) and exit.")
	boolean log;

	@Override
	public Integer call() throws Exception {
		VeEngine open = engine.openToLook();
		if (log) {
			System.out.print(open.consoleLog(name, 64 * 1024));
			System.out.flush();
			return 0;
		}
		boolean terminal = System.console() != null && System.console().isTerminal();
		try (VeConsole console = open.attachConsole(name)) {
			System.err.println("Connected to the console of " + name + "; Ctrl-] detaches.");
			String saved = terminal ? stty("-g").strip() : null;
			if (terminal) {
				stty("raw", "-echo");
			}
			try {
				Thread output = Thread.ofVirtual().start(() -> copyOutput(console));
				copyInput(System.in, console);
				output.join(terminal ? 1 : 500);
			}
			finally {
				if (saved != null) {
					stty(saved);
				}
			}
		}
		System.err.println();
		System.err.println("Detached from the console of " + name + ".");
		return 0;
	}

	private static void copyInput(InputStream in, VeConsole console) throws IOException {
		byte[] buf = new byte[1024];
		for (int n = in.read(buf); n > 0; n = in.read(buf)) {
			for (int i = 0; i < n; i++) {
				if ((buf[i] & 0xff) == DETACH) {
					console.input().write(buf, 0, i);
					return;
				}
			}
			console.input().write(buf, 0, n);
		}
	}

	private static void copyOutput(VeConsole console) {
		byte[] buf = new byte[8192];
		try (InputStream out = console.output()) {
			for (int n = out.read(buf); n > 0; n = out.read(buf)) {
				System.out.write(buf, 0, n);
				System.out.flush();
			}
		}
		catch (IOException ex) {
			// detached
		}
	}

	/** stty on the caller's own terminal, the one thing of the caller's that the console changes. */
	private static String stty(String... args) throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of("stty"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		process.waitFor();
		return out;
	}
}
