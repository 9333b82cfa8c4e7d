// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.cairn.cli.Invocation;
import org.cairn.engine.TestEngine;
import org.cairn.engine.TestNode;
import org.cairn.node.NodeAgentApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node of a fleet test: an engine of its own (root, cgroup parent, uid range; VE links in a network namespace of
 * its own), joined to the panel on {@code panelPort} with {@code cairn node join}, its agent on a port of its own.
 */
final class FleetTestNode implements AutoCloseable {

	final String name;

	final long id;

	final TestNode network;

	final TestEngine engine;

	final Path identity;

	final int port;

	private ConfigurableApplicationContext agent;

	private FleetTestNode(String name, long id, TestNode network, TestEngine engine, Path identity, int port) {
		this.name = name;
		this.id = id;
		this.network = network;
		this.engine = engine;
		this.identity = identity;
		this.port = port;
	}

	/** Adds the node, joins it, starts its agent and has the panel ask it how it is. */
	static FleetTestNode join(String name, FleetNodes nodes, NodeHealth health, int panelPort, Path dir)
			throws Exception {
		TestNode network = TestNode.create();
		TestEngine engine = TestEngine.create("auto", network.network());
		int port = freePort();
		FleetNodes.AddedNode added = nodes.add(name, "127.0.0.1:" + port);
		FleetTestNode node = new FleetTestNode(name, added.node().id(), network, engine, dir.resolve(name), port);
		Run run = cairn("node", "join", "http://127.0.0.1:" + panelPort, added.joinToken(), "--dir",
				node.identity.toString());
		assertThat(run.exitCode()).as(run.err()).isZero();
		node.start();
		assertThat(health.check(nodes.get(node.id).orElseThrow())).isTrue();
		return node;
	}

	void start() {
		agent = NodeAgentApplication.start(identity, "127.0.0.1", port, engine.settings);
	}

	void stop() {
		if (agent != null) {
			agent.close();
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
