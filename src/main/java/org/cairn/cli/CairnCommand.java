// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import picocli.CommandLine.Command;

/** The {@code cairn} command: the panel and, verb by verb, the engine's tools. */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = CairnVersion.class,
		description = "Self-service VPS hosting panel with an embedded OpenVZ-style isolation engine.",
		subcommands = { ServeCommand.class, VeCommand.class, TemplateCommand.class, NodeCommand.class,
				BackupCommand.class })
public class CairnCommand implements Runnable {

	/** The command line as {@code cairn} runs it: an engine error is a message to act on, not a stack trace. */
	public static picocli.CommandLine commandLine() {
		return new picocli.CommandLine(new CairnCommand()).setExecutionExceptionHandler((ex, command, parsed) -> {
			if (ex instanceof org.cairn.engine.EngineException) {
				command.getErr().println("cairn: " + ex.getMessage());
				return 1;
			}
			throw ex;
		});
	}

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}
}
