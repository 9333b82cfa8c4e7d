// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A VE's files beside its disk image (its record, firewall, console log, and for a VE without a disk its writable
 * layer and snapshots) copied as GNU tar's incremental dumps, zstd-compressed: the first pass takes everything, each
 * later one what changed since the pass before (tar's snapshot file, kept on the source per pass), and the copy
 * deletes what was deleted meanwhile. Owners by number, hard links, xattrs (overlay's whiteouts and opaque
 * directories), ACLs, file capabilities and holes are kept. tar does not follow symbolic links out of the tree.
 */
public final class TreeSync {

	private static final String TAR = "tar";

	private TreeSync() {
	}

	/**
	 * Starts a dump of {@code dir} (all but {@code excluded}, names in it) of what changed since pass
	 * {@code since} (0: everything), as pass {@code since + 1}; its snapshot files are kept in {@code passes}. The
	 * caller reads the stream to its end (a failed dump fails the read) and closes it.
	 */
	public static InputStream send(Path dir, Path passes, int since, List<String> excluded) throws IOException {
		Files.createDirectories(passes);
		Path previous = passes.resolve("pass-" + since + ".snar");
		Path next = passes.resolve("pass-" + (since + 1) + ".snar");
		Files.deleteIfExists(next);
		if (since > 0 && Files.exists(previous)) {
			Files.copy(previous, next, StandardCopyOption.REPLACE_EXISTING);
		}
		List<String> command = new ArrayList<>(List.of(TAR, "--create", "--file=-", "--zstd",
				"--listed-incremental=" + next, "--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner",
				"--sparse", "--one-file-system", "--anchored"));
		for (String name : excluded) {
			command.add("--exclude=./" + name);
		}
		command.addAll(List.of("-C", dir.toString(), "."));
		Process tar = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		Errors errors = new Errors(tar.getErrorStream());
		return new FilterInputStream(tar.getInputStream()) {

			private boolean checked;

			@Override
			public int read() throws IOException {
				int b = super.read();
				return b < 0 ? end(b) : b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = super.read(buffer, offset, length);
				return n < 0 ? end(n) : n;
			}

			private int end(int eof) throws IOException {
				if (!checked) {
					checked = true;
					int exit = waitFor(tar);
					// 1: a file changed while it was read (the VE runs): the next pass takes it again
					if (exit > 1) {
						throw new IOException("tar could not read " + dir + ": " + errors.text());
					}
				}
				return eof;
			}

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					tar.destroyForcibly();
				}
			}
		};
	}

	/** Applies a dump of {@link #send} to {@code dir} (made if missing): changed files written, deleted ones deleted. */
	public static void apply(Path dir, InputStream in) throws IOException {
		Files.createDirectories(dir);
		Process tar = new ProcessBuilder(TAR, "--extract", "--file=-", "--zstd", "--listed-incremental=/dev/null",
				"--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner", "--same-permissions", "--same-owner",
				"-C", dir.toString())
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		Errors errors = new Errors(tar.getErrorStream());
		try (OutputStream stdin = tar.getOutputStream()) {
			in.transferTo(stdin);
		}
		catch (IOException ex) {
			tar.destroyForcibly();
			waitFor(tar);
			throw ex.getMessage() != null && ex.getMessage().contains("Broken pipe")
					? new IOException("tar stopped reading: " + errors.text(), ex) : ex;
		}
		int exit = waitFor(tar);
		if (exit != 0) {
			throw new IOException("tar could not write " + dir + ": " + errors.text());
		}
	}

	/** A process's error output, read to its end on a thread of its own. */
	private static final class Errors {

		private final StringBuilder text = new StringBuilder();

		private final Thread reader;

		Errors(InputStream errors) {
			this.reader = Thread.ofVirtual().start(() -> {
				try {
					String all = new String(errors.readAllBytes(), StandardCharsets.UTF_8);
					text.append(all.length() > 2000 ? all.substring(0, 2000) : all);
				}
				catch (IOException ex) {
					// the process ended
				}
			});
		}

		/** What the process wrote, once it has ended. */
		String text() {
			try {
				reader.join(java.time.Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return text.toString().strip();
		}
	}

	private static int waitFor(Process tar) throws IOException {
		try {
			if (!tar.waitFor(10, TimeUnit.MINUTES)) {
				tar.destroyForcibly();
				throw new IOException("tar did not end within 10 minutes");
			}
			return tar.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}
}
