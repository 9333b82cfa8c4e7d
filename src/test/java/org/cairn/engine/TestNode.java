// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.network.NodeNetwork;

/**
 * A network namespace standing in for the node's network in a test: the engine's links, routes and
 * anti-spoofing table go there, never into the real host's. It holds the node's own addresses 203.0.113.1
 * and 2001:db8:ff::1 (documentation ranges, routed nowhere else) and ends, with everything in it, on close.
 */
public final class TestNode implements AutoCloseable {

	static final String ADDRESS_V4 = "203.0.113.1";

	static final String ADDRESS_V6 = "2001:db8:ff::1";

	private final Process holder;

	private final List<Process> servers = new ArrayList<>();

	private TestNode(Process holder) {
		this.holder = holder;
	}

	public static TestNode create() throws IOException {
		// a process of its own holds the namespace: no name under /run/netns, no mount on the host
		Process holder = new ProcessBuilder("unshare", "--net", "sleep", "infinity").start();
		TestNode node = new TestNode(holder);
		try {
			TestEngine.waitFor(() -> !node.namespace().toString().isEmpty() && !sameAsHost(node),
					java.time.Duration.ofSeconds(5), "the node's namespace exists");
			node.run("ip", "link", "set", "lo", "up");
			node.run("ip", "addr", "add", ADDRESS_V4 + "/32", "dev", "lo");
			node.run("ip", "addr", "add", ADDRESS_V6 + "/128", "dev", "lo");
		}
		catch (RuntimeException | Error ex) {
			node.close();
			throw ex;
		}
		return node;
	}

	private static boolean sameAsHost(TestNode node) {
		try {
			return java.nio.file.Files.readSymbolicLink(node.namespace())
				.equals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
		}
		catch (IOException ex) {
			return true;
		}
	}

	public Path namespace() {
		return Path.of("/proc", Long.toString(holder.pid()), "ns", "net");
	}

	public NodeNetwork network() {
		return new NodeNetwork(namespace());
	}

	/** Runs a command in the node's namespace; its output, or an AssertionError when it fails. */
	public String run(String... command) {
		return TestEngine.run(inNode(command));
	}

	/** Runs a command in the node's namespace; its exit code and output. */
	TestEngine.Result attempt(String... command) {
		try {
			Process process = new ProcessBuilder(inNode(command)).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			return new TestEngine.Result(process.exitValue(), out);
		}
		catch (IOException | InterruptedException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Starts a long-running command in the node's namespace; stopped on close. */
	public Process background(String... command) throws IOException {
		Process process = new ProcessBuilder(inNode(command)).redirectErrorStream(true).start();
		servers.add(process);
		return process;
	}

	private String[] inNode(String... command) {
		List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + namespace()));
		all.addAll(List.of(command));
		return all.toArray(String[]::new);
	}

	@Override
	public void close() {
		servers.forEach(Process::destroyForcibly);
		holder.destroyForcibly();
		try {
			holder.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
