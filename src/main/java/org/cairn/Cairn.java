// SPDX-License-Identifier: Apache-2.0
package org.cairn;

import org.cairn.cli.Invocation;

/** Entry point of cairn.jar: the panel ({@code serve}, the default) and the command-line tool. */
public final class Cairn {

	private Cairn() {
	}

	public static void main(String[] args) {
		String[] effective = startsPanel(args) ? prepend("serve", args) : args;
		int exitCode = Invocation.of(effective).execute();
		if (exitCode != 0 || !"serve".equals(effective[0])) {
			System.exit(exitCode);
		}
	}

	/** No argument, or only Spring properties such as {@code --server.port=9090}, start the panel. */
	private static boolean startsPanel(String[] args) {
		if (args.length == 0) {
			return true;
		}
		String first = args[0];
		return first.startsWith("--") && first.contains("=");
	}

	private static String[] prepend(String first, String[] rest) {
		String[] all = new String[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}
}
