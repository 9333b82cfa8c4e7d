// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program the engine runs on the node's behalf (the launcher, ip, nft, restic, mkfs ...). It starts with an
 * environment of its own, never the caller's (which holds the panel's secrets), and it has a deadline after
 * which it is killed: its outputs are read on threads of their own, so that the deadline fires even when
 * the program never writes or never closes them.
 */
public final class HelperProcess {

	/** Where the node's programs are; nothing else of the caller's environment reaches a helper. */
	public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	private HelperProcess() {
	}

	/** A process builder whose environment holds PATH and LANG only; callers add what the program needs. */
	public static ProcessBuilder command(List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().clear();
		builder.environment().put("PATH", PATH);
		builder.environment().put("LANG", "C.UTF-8");
		return builder;
	}

	public static ProcessBuilder command(String... command) {
		return command(List.of(command));
	}

	/** What a finished helper printed, and its exit code. */
	public record Output(int exitCode, String out, String err) {

		/** Standard output and error together, for a message. */
		public String text() {
			return (out.strip() + "\n" + err.strip()).strip();
		}
	}

	/** Runs the program with no input until it ends or {@code deadline} passes. */
	public static Output run(ProcessBuilder builder, Duration deadline) {
		return run(builder, deadline, null);
	}

	/**
	 * Runs the program with {@code input} on its standard input (a secret, say, that must not be on its command
	 * line) until it ends or {@code deadline} passes; then it and its children are killed and this throws.
	 */
	public static Output run(ProcessBuilder builder, Duration deadline, byte[] input) {
		return run(builder, deadline, input, process -> () -> {
		});
	}

	/** As above; {@code watch} is told of the process while it runs (to let another operation end it). */
	public static Output run(ProcessBuilder builder, Duration deadline, byte[] input,
			java.util.function.Function<Process, AutoCloseable> watch) {
		String name = programName(builder.command().get(0));
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot run " + name + ": " + ex.getMessage(), ex);
		}
		CompletableFuture<String> out = readAll(process.getInputStream());
		CompletableFuture<String> err = readAll(process.getErrorStream());
		Thread.ofVirtual().start(() -> {
			try (OutputStream stdin = process.getOutputStream()) {
				if (input != null) {
					stdin.write(input);
				}
			}
			catch (IOException ex) {
				// the program ended without reading it all; its exit code says how it went
			}
		});
		try (AutoCloseable watched = watch.apply(process)) {
			if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
				kill(process);
				throw new EngineException(name + " did not finish within " + describe(deadline) + "; it was stopped");
			}
			return new Output(process.exitValue(), settle(out), settle(err));
		}
		catch (InterruptedException ex) {
			kill(process);
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted while " + name + " ran");
		}
		catch (Exception ex) {
			throw ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
		}
	}

	/** Kills a helper and whatever it started. */
	public static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static CompletableFuture<String> readAll(InputStream in) {
		CompletableFuture<String> text = new CompletableFuture<>();
		Thread.ofVirtual().start(() -> {
			try (in) {
				text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				text.complete("");
			}
		});
		return text;
	}

	/** An output a moment after the program ended: a child it left behind may hold the pipe open for good. */
	private static String settle(CompletableFuture<String> text) {
		try {
			return text.get(5, TimeUnit.SECONDS);
		}
		catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static String programName(String program) {
		int slash = program.lastIndexOf('/');
		return slash >= 0 ? program.substring(slash + 1) : program;
	}

	private static String describe(Duration deadline) {
		return deadline.toSeconds() >= 1 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms";
	}
}
