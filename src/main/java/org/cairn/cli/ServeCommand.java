// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cairn.panel.PanelApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the web panel until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
		description = { "Start the web panel (the default when cairn.jar runs with no argument).",
				"Spring properties can follow, e.g. --server.port=8080 --cairn.data-dir=/var/lib/cairn" })
class ServeCommand implements Callable<Integer> {

	@Unmatched
	List<String> properties = new ArrayList<>();

	@Override
	public Integer call() {
		try {
			PanelApplication.start(properties.toArray(String[]::new));
			return 0;
		}
		catch (RuntimeException ex) {
			// Spring Boot has already reported why the panel could not start
			return 1;
		}
	}
}
