// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The columns a listing verb offers to {@code -o name,state,ip}: one row per line, values separated by a tab, under
 * a header line of the column names in capitals (left out with {@code --no-headers}). An empty value prints as
 * {@code -}, so that every row has as many fields as the header. The names and their order are a promise to scripts:
 * add columns, never rename them.
 */
final class Columns<T> {

	private final Map<String, Function<T, String>> columns = new LinkedHashMap<>();

	Columns<T> with(String name, Function<T, String> value) {
		columns.put(name, value);
		return this;
	}

	String names() {
		return String.join(",", columns.keySet());
	}

	/** Prints {@code rows} in the {@code chosen} columns; an unknown name is a usage error (exit code 2). */
	void print(CommandSpec verb, List<String> chosen, boolean headers, List<T> rows) {
		List<Function<T, String>> values = new ArrayList<>();
		for (String name : chosen) {
			Function<T, String> value = columns.get(name.strip());
			if (value == null) {
				throw new CommandLine.ParameterException(verb.commandLine(),
						"output: no column '" + name.strip() + "'; choose from " + names());
			}
			values.add(value);
		}
		StringBuilder out = new StringBuilder();
		if (headers) {
			out.append(String.join("\t", chosen.stream().map(n -> n.strip().toUpperCase(java.util.Locale.ROOT)).toList()))
				.append('\n');
		}
		for (T row : rows) {
			for (int i = 0; i < values.size(); i++) {
				String value = values.get(i).apply(row);
				out.append(i == 0 ? "" : "\t").append(value == null || value.isEmpty() ? "-" : clean(value));
			}
			out.append('\n');
		}
		System.out.print(out);
	}

	/** A value never breaks its row: tabs and line breaks inside it become spaces. */
	private static String clean(String value) {
		return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
	}
}
