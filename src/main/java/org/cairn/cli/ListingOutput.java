// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a listing verb prints: a line per item for people (the default), {@code --json}, or the columns its
 * {@code -o} names for scripts. The verb declares {@code -o} itself, so that its help lists its own columns.
 */
class ListingOutput {

	@Option(names = "--json", description = "Print JSON.")
	boolean json;

	@Option(names = "--no-headers", description = "With -o: leave out the header line.")
	boolean noHeaders;

	@Spec(Spec.Target.MIXEE)
	CommandSpec verb;

	<T> void print(List<T> rows, List<String> chosen, Columns<T> columns, Function<List<T>, String> toJson,
			Consumer<T> forPeople) {
		if (json && chosen != null) {
			throw new CommandLine.ParameterException(verb.commandLine(), "output: --json or -o, not both");
		}
		if (json) {
			System.out.println(toJson.apply(rows));
		}
		else if (chosen != null) {
			columns.print(verb, chosen, !noHeaders, rows);
		}
		else {
			rows.forEach(forPeople);
		}
	}

	/** The column names of a verb's {@code -o}, for its help and shell completion. */
	abstract static class Names implements Iterable<String> {

		private final Columns<?> columns;

		Names(Columns<?> columns) {
			this.columns = columns;
		}

		@Override
		public java.util.Iterator<String> iterator() {
			return List.of(columns.names().split(",")).iterator();
		}
	}
}
