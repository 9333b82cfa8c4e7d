// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.Arrays;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One call of {@code cairn}: the command line that runs it and the arguments left for that command.
 * <p>
 * picocli reads the annotations of every command it adds, and reading all of Cairn's verbs took longer than most
 * verbs take to run (0.3 s of a 0.45 s {@code cairn ve list}). A call that names a verb, such as {@code cairn ve
 * list --json}, builds that verb alone, under its full name; help on a group ({@code cairn ve --help}), an unknown
 * verb or no verb builds the whole tree, as picocli needs it to list or suggest verbs.
 */
public record Invocation(CommandLine commandLine, String[] args) {

	/** The command line for these arguments, with Cairn's handling of engine errors and exit codes. */
	public static Invocation of(String... args) {
		if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
			// what scripts ask first: no verb needed for it
			CommandSpec version = CommandSpec.create().name("cairn").versionProvider(new CairnVersion());
			return new Invocation(new CommandLine(version.mixinStandardHelpOptions(true)), args);
		}
		Class<?> command = CairnCommand.class;
		StringBuilder name = new StringBuilder("cairn");
		int depth = 0;
		while (depth < args.length) {
			Class<?> verb = subcommand(command, args[depth]);
			if (verb == null) {
				break;
			}
			command = verb;
			name.append(' ').append(args[depth]);
			depth++;
		}
		if (depth == 0 || subcommands(command).length > 0) {
			return new Invocation(CairnCommand.commandLine(), args);
		}
		CommandLine verb = ExitCodes.handled(new CommandLine(command));
		verb.setCommandName(name.toString());
		return new Invocation(verb, Arrays.copyOfRange(args, depth, args.length));
	}

	public int execute() {
		return commandLine.execute(args);
	}

	private static Class<?> subcommand(Class<?> command, String word) {
		for (Class<?> sub : subcommands(command)) {
			Command annotation = sub.getAnnotation(Command.class);
			if (annotation.name().equals(word) || Arrays.asList(annotation.aliases()).contains(word)) {
				return sub;
			}
		}
		return null;
	}

	private static Class<?>[] subcommands(Class<?> command) {
		return command.getAnnotation(Command.class).subcommands();
	}
}
