// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import picocli.CommandLine.Command;

/** The {@code cairn} command: the panel and, verb by verb, the engine's tools. */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = CairnVersion.class,
		description = "Self-service VPS hosting panel with an embedded OpenVZ-style isolation engine.",
		subcommands = { ServeCommand.class, VeCommand.class, TemplateCommand.class, NodeCommand.class,
				BackupCommand.class })
public class CairnCommand implements Runnable {

	/** The whole tree of verbs, as help, completion and manual pages need it; a call runs through {@link Invocation}. */
	public static picocli.CommandLine commandLine() {
		return ExitCodes.handled(new picocli.CommandLine(new CairnCommand()));
	}

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}
}
