// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An engine of a test's own: its root in a temporary directory, its cgroups under {@code cairn-test-*},
 * its uids far from a node's. {@link #close()} destroys every VE and removes all of it, also after a failure.
 * The busybox template is built once per test JVM and shared through a hard-linked copy.
 */
public final class TestEngine implements AutoCloseable {

	private static Path sharedTemplates;

	public final VeEngine engine;

	public final EngineSettings settings;

	private TestEngine(EngineSettings settings) {
		this.settings = settings;
		this.engine = VeEngine.open(settings);
	}

	public static TestEngine create(String cgroupMode) throws IOException {
		return create(cgroupMode, org.cairn.engine.network.NodeNetwork.HOST);
	}

	/** An engine whose VE networks' node side lives in {@code node} (a test's own namespace). */
	public static TestEngine create(String cgroupMode, org.cairn.engine.network.NodeNetwork node) throws IOException {
		Path root = Files.createTempDirectory("cairn-test-engine-");
		Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
		String parent = "cairn-test-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
		long firstUid = (2000L + ThreadLocalRandom.current().nextLong(20000)) * EngineSettings.IDS_PER_VE;
		Path v2Root = Path.of("/sys/fs/cgroup/unified");
		TestEngine test;
		try {
			test = new TestEngine(new EngineSettings(root, parent, firstUid, cgroupMode,
					Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? Path.of("/sys/fs/cgroup") : v2Root)
				.withNode(node));
		}
		catch (RuntimeException ex) {
			Trees.delete(root);
			throw ex;
		}
		try {
			test.installBusybox();
		}
		catch (IOException | RuntimeException ex) {
			test.close();
			throw ex;
		}
		return test;
	}

	/** The same engine root opened again, as a restarted panel or another CLI process would. */
	public VeEngine reopen() {
		return VeEngine.open(settings);
	}

	private synchronized void installBusybox() throws IOException {
		synchronized (TestEngine.class) {
			if (sharedTemplates == null) {
				Path dir = Files.createTempDirectory("cairn-test-templates-");
				VeEngine builder = VeEngine.open(new EngineSettings(dir, settings.cgroupParent(), settings.firstUid(),
						settings.cgroup(), settings.cgroupV2Root()));
				builder.buildTemplate("busybox");
				sharedTemplates = dir.resolve("templates");
				Runtime.getRuntime().addShutdownHook(new Thread(() -> Trees.delete(dir)));
			}
		}
		run("cp", "-a", "--link", sharedTemplates.toString(), settings.root().resolve("templates").toString());
	}

	private static Path sharedBuilds;

	/**
	 * Installs a template built once for the whole test run (debootstrap takes most of a minute): the first
	 * caller builds it for real, every engine gets hard links of it.
	 */
	public void installTemplate(String name) throws IOException {
		Path built;
		synchronized (TestEngine.class) {
			if (sharedBuilds == null) {
				Path dir = Files.createTempDirectory("cairn-test-builds-");
				Runtime.getRuntime().addShutdownHook(new Thread(() -> Trees.delete(dir)));
				sharedBuilds = dir;
			}
			built = sharedBuilds.resolve("templates").resolve(name);
			if (!Files.exists(built)) {
				VeEngine.open(new EngineSettings(sharedBuilds, settings.cgroupParent(), settings.firstUid(),
						settings.cgroup(), settings.cgroupV2Root())).buildTemplate(name);
			}
		}
		run("cp", "-a", "--link", built.toString(), settings.root().resolve("templates").resolve(name).toString());
	}

	/** The node's end of a VE's link, which names its firewall chain ({@code ve-LINK}). */
	public String linkOf(String ve) {
		return org.cairn.engine.network.RoutedNetwork.linkName(engine.status(ve).uidBase(), EngineSettings.IDS_PER_VE);
	}

	/** Runs a shell command line in a VE; returns its output (stdout and stderr) and exit code. */
	public Result sh(String ve, String script) {
		try {
			Process process = engine.exec(ve, List.of("/bin/sh", "-c", script)).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("command did not end within 60 s: " + script);
			}
			return new Result(process.exitValue(), out);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	public record Result(int exitCode, String output) {
	}

	/** Compiles a test helper from src/test/c statically and installs it in a running VE as /usr/bin/NAME. */
	public void installHelper(String ve, String source, String name) throws IOException, InterruptedException {
		Path binary = Files.createTempFile("cairn-helper-", "");
		try {
			run("gcc", "-static", "-O2", "-o", binary.toString(), "src/test/c/" + source);
			Process copy = engine.exec(ve, List.of("/bin/sh", "-c", "cat > /usr/bin/" + name + "; chmod 755 /usr/bin/" + name))
				.redirectInput(binary.toFile())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (copy.waitFor() != 0) {
				throw new AssertionError("cannot install " + name + " in " + ve);
			}
		}
		finally {
			Files.deleteIfExists(binary);
		}
	}

	public static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError(String.join(" ", command) + " failed: " + out);
			}
			return out;
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private boolean closed;

	/** Destroys every VE and removes the root and cgroups; a second call does nothing. */
	@Override
	public synchronized void close() {
		if (closed) {
			return;
		}
		closed = true;
		VeEngine current = reopen();
		for (VeStatus ve : current.list()) {
			try {
				current.destroy(ve.name());
			}
			catch (RuntimeException ex) {
				System.err.println("cleanup of " + ve.name() + ": " + ex.getMessage());
			}
		}
		for (Path hierarchy : cgroupHierarchies()) {
			try {
				Files.deleteIfExists(hierarchy.resolve(settings.cgroupParent()));
			}
			catch (IOException ex) {
				System.err.println("cleanup of cgroup " + hierarchy + ": " + ex.getMessage());
			}
		}
		Trees.delete(settings.root());
	}

	private List<Path> cgroupHierarchies() {
		try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
			List<Path> all = new java.util.ArrayList<>(dirs.filter(Files::isDirectory).toList());
			all.add(Path.of("/sys/fs/cgroup"));
			return all;
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting until " + what);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}
}
