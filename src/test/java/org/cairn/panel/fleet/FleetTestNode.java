// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.cairn.cli.Invocation;
import org.cairn.engine.TestEngine;
import org.cairn.engine.TestNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node of a fleet test, as a machine of its own would be: a network namespace ("node netns") plugged into the
 * test's bridge with an address of its own, an engine of its own (root, cgroup parent, uid range; VE links in the
 * node netns), joined to the panel with {@code cairn node join}, and its agent a process of its own ({@code cairn
 * node serve}) in the node netns on port {@link #PORT}. The panel reaches it over the bridge only.
 */
final class FleetTestNode implements AutoCloseable {

	/** The agent's port: each node has the port space of its own namespace. */
	static final int PORT = 9443;

	final String name;

	final long id;

	final TestNode network;

	final TestEngine engine;

	final Path identity;

	/** The node's address on the bridge. */
	final String address;

	private Process agent;

	private FleetTestNode(String name, long id, TestNode network, TestEngine engine, Path identity, String address) {
		this.name = name;
		this.id = id;
		this.network = network;
		this.engine = engine;
		this.identity = identity;
		this.address = address;
	}

	/** Adds the node, joins it, starts its agent and has the panel ask it how it is. */
	static FleetTestNode join(String name, FleetTestBridge bridge, FleetNodes nodes, NodeHealth health, int panelPort,
			Path dir) throws Exception {
		TestNode network = TestNode.create();
		TestEngine engine = null;
		try {
			String address = bridge.plug(network);
			engine = TestEngine.create("auto", network.network());
			FleetNodes.AddedNode added = nodes.add(name, address + ":" + PORT);
			FleetTestNode node = new FleetTestNode(name, added.node().id(), network, engine, dir.resolve(name), address);
			Run run = cairn("node", "join", "http://127.0.0.1:" + panelPort, added.joinToken(), "--dir",
					node.identity.toString());
			assertThat(run.exitCode()).as(run.err()).isZero();
			node.start();
			assertThat(health.check(nodes.get(node.id).orElseThrow())).isTrue();
			return node;
		}
		catch (Exception | Error ex) {
			if (engine != null) {
				engine.close();
			}
			network.close();
			throw ex;
		}
	}

	/** Starts the agent in the node netns and waits until it listens there. */
	void start() throws Exception {
		Path log = identity.resolve("agent.log");
		agent = new ProcessBuilder("nsenter", "--net=" + network.namespace(),
				ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
				"org.cairn.Cairn", "node", "serve", "--listen", address + ":" + PORT, "--dir", identity.toString(),
				"--root", engine.settings.root().toString(), "--cgroup-parent", engine.settings.cgroupParent(),
				"--first-uid", Long.toString(engine.settings.firstUid()), "--node-netns",
				network.namespace().toString())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(address, PORT), 500);
				return;
			}
			catch (java.io.IOException ex) {
				if (!agent.isAlive() || System.nanoTime() > until) {
					stop();
					throw new AssertionError("the agent of " + name + " did not listen on " + address + ":" + PORT + ": "
							+ java.nio.file.Files.readString(log));
				}
				Thread.sleep(100);
			}
		}
	}

	boolean running() {
		return agent != null && agent.isAlive();
	}

	/** Ends the agent as a node's shutdown would (its VEs keep running). */
	void stop() {
		if (agent != null) {
			agent.destroy();
			try {
				if (!agent.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
					agent.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			agent = null;
		}
	}

	@Override
	public void close() {
		try {
			stop();
			engine.close();
		}
		finally {
			network.close();
		}
	}

	static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** What a command line run in this JVM ended with, and what it printed. */
	record Run(int exitCode, String out, String err) {
	}

	/** Runs the command line in this JVM, as {@code cairn} on a node would. */
	static Run cairn(String... args) {
		StringWriter err = new StringWriter();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PrintStream previous = System.out;
		System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
		try {
			Invocation call = Invocation.of(args);
			call.commandLine().setErr(new PrintWriter(err));
			int code = call.execute();
			return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
		}
		finally {
			System.setOut(previous);
		}
	}
}
