// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A console run by the launcher's {@code exec --tty --size-file}: the size goes through a file of the engine's
 * own (written aside and renamed, then SIGWINCH), since a pipe carries no terminal size.
 */
final class LauncherConsole implements VeConsole {

	private static final int SIGHUP = 1;

	private static final int SIGWINCH = 28;

	private final Process process;

	private final Path sizeFile;

	private LauncherConsole(Process process, Path sizeFile) {
		this.process = process;
		this.sizeFile = sizeFile;
	}

	static VeConsole start(ProcessBuilderFactory builder, Path consolesDir, int rows, int cols) {
		Path sizeFile = null;
		try {
			Files.createDirectories(consolesDir);
			sizeFile = Files.createTempFile(consolesDir, "console-", ".size");
			writeSize(sizeFile, rows, cols);
			Process process = builder.with(sizeFile).redirectErrorStream(true).start();
			return new LauncherConsole(process, sizeFile);
		}
		catch (IOException ex) {
			deleteQuietly(sizeFile);
			throw new EngineException("Cannot open a console: " + ex.getMessage(), ex);
		}
	}

	/** The launcher's command line for a size file. */
	interface ProcessBuilderFactory {

		ProcessBuilder with(Path sizeFile);
	}

	private static void writeSize(Path sizeFile, int rows, int cols) throws IOException {
		if (rows < 1 || cols < 1 || rows > 1000 || cols > 1000) {
			throw new EngineException("size: rows and columns between 1 and 1000, not " + rows + "x" + cols);
		}
		// fixed width, written over in place: the launcher never reads a half-written size
		Files.writeString(sizeFile, String.format("%4d %4d%n", rows, cols), StandardOpenOption.WRITE);
	}

	@Override
	public InputStream output() {
		return process.getInputStream();
	}

	@Override
	public OutputStream input() {
		return process.getOutputStream();
	}

	@Override
	public void resize(int rows, int cols) {
		if (!process.isAlive()) {
			return;
		}
		try {
			writeSize(sizeFile, rows, cols);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot resize the console: " + ex.getMessage(), ex);
		}
		Signals.send(process.pid(), SIGWINCH);
	}

	@Override
	public boolean isOpen() {
		return process.isAlive();
	}

	@Override
	public void close() {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ignored) {
			// already closed
		}
		// a hang-up, as when an SSH connection drops: the launcher passes it to the shell, which ends
		Signals.send(process.pid(), SIGHUP);
		try {
			if (!process.waitFor(3, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
		deleteQuietly(sizeFile);
	}

	private static void deleteQuietly(Path file) {
		if (file == null) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ignored) {
			// in the engine's own directory: nothing else reads it
		}
	}
}
