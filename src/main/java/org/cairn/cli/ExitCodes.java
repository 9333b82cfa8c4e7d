// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import org.cairn.engine.EngineException;
import picocli.CommandLine;

/**
 * The exit codes of {@code cairn}, for scripts: 0 done, 1 an error (the message says which), 2 a usage error
 * (an unknown verb or option, a missing argument), 3 not found (no such VE, template, snapshot or backup),
 * 4 busy (another operation holds the VE; try again).
 */
final class ExitCodes {

	static final int ERROR = 1;

	static final int USAGE = 2;

	static final int NOT_FOUND = 3;

	static final int BUSY = 4;

	private ExitCodes() {
	}

	/** {@code cli}, which prints an engine error as a message to act on, not a stack trace, and exits with its code. */
	static CommandLine handled(CommandLine cli) {
		return cli.setExitCodeExceptionMapper(ExitCodes::of).setExecutionExceptionHandler((ex, command, parsed) -> {
			if (ex instanceof EngineException || ex instanceof org.cairn.node.JoinException) {
				command.getErr().println("cairn: " + ex.getMessage());
				return of(ex);
			}
			throw ex;
		});
	}

	private static int of(Throwable ex) {
		return switch (ex) {
			case EngineException.NotFound notFound -> NOT_FOUND;
			case EngineException.Busy busy -> BUSY;
			case CommandLine.ParameterException usage -> USAGE;
			default -> ERROR;
		};
	}
}
