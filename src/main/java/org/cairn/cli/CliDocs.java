// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes what the package installs beside the jar, from the model {@code --help} prints: manual pages
 * ({@code DIR/man/*.1.gz}) and shell completion ({@code DIR/completion/cairn.bash} and {@code _cairn} for zsh).
 * Run by the build: {@code CliDocs DIR VERSION}.
 */
public final class CliDocs {

	private CliDocs() {
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		String version = args[1];
		Path man = Files.createDirectories(dir.resolve("man"));
		for (Map.Entry<String, String> page : new ManualPages(version).all(CairnCommand.commandLine()).entrySet()) {
			// gzip -9n as Debian's policy asks: Java writes no name and no time into the header
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(man.resolve(page.getKey() + ".gz")))) {
				out.write(page.getValue().getBytes(StandardCharsets.UTF_8));
			}
		}
		Path completion = Files.createDirectories(dir.resolve("completion"));
		Files.writeString(completion.resolve("cairn.bash"), ShellCompletion.bash(CairnCommand.commandLine()));
		Files.writeString(completion.resolve("_cairn"), ShellCompletion.zsh());
	}
}
