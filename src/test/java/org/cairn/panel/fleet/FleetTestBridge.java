// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.util.concurrent.ThreadLocalRandom;

import org.cairn.engine.TestEngine;
import org.cairn.engine.TestNode;

/**
 * The network of a fleet test: a bridge on the host that joins each test node's network namespace, as a switch
 * joins the machines of a rack. The host (where the panels run) is {@code .1} of a /24 of 198.18.0.0/15 (set aside
 * for benchmarks, routed nowhere), taken at random among those the host does not use; the i-th node is
 * {@code .(i + 1)}. Nodes reach each other and the panels through it, and nothing else. Removed on close; the nodes'
 * links go with their namespaces.
 */
final class FleetTestBridge implements AutoCloseable {

	private final String name;

	private final String prefix;

	private int nodes;

	private FleetTestBridge(String name, String prefix) {
		this.name = name;
		this.prefix = prefix;
	}

	static FleetTestBridge create() {
		String used = TestEngine.run("ip", "-4", "route", "show", "table", "all");
		String prefix;
		do {
			int n = ThreadLocalRandom.current().nextInt(512);
			prefix = (n < 256 ? "198.18." : "198.19.") + (n % 256) + ".";
		}
		while (used.contains(prefix));
		String name = "ctb" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
		TestEngine.run("ip", "link", "add", name, "type", "bridge");
		FleetTestBridge bridge = new FleetTestBridge(name, prefix);
		try {
			TestEngine.run("ip", "addr", "add", bridge.host() + "/24", "dev", name);
			TestEngine.run("ip", "link", "set", name, "up");
		}
		catch (RuntimeException | AssertionError ex) {
			bridge.close();
			throw ex;
		}
		return bridge;
	}

	/** The host's address on the bridge: where the node's panel answers. */
	String host() {
		return prefix + "1";
	}

	/** An address of the bridge's subnet: host {@code n} of its /24. */
	String address(int n) {
		return prefix + n;
	}

	/**
	 * Plugs a node's namespace in: a link {@code fleet0} there with the next address, whose other end is on the
	 * bridge. Returns the node's address.
	 */
	synchronized String plug(TestNode node) {
		nodes++;
		String address = prefix + (nodes + 1);
		String outside = name + "n" + nodes;
		TestEngine.run("ip", "link", "add", outside, "type", "veth", "peer", "name", outside + "x");
		try {
			TestEngine.run("ip", "link", "set", outside, "master", name, "up");
			TestEngine.run("ip", "link", "set", outside + "x", "netns", node.namespace().toString());
		}
		catch (RuntimeException | AssertionError ex) {
			TestEngine.run("ip", "link", "del", outside);
			throw ex;
		}
		node.run("ip", "link", "set", outside + "x", "name", "fleet0");
		node.run("ip", "addr", "add", address + "/24", "dev", "fleet0");
		node.run("ip", "link", "set", "fleet0", "up");
		return address;
	}

	@Override
	public void close() {
		TestEngine.run("ip", "link", "del", name);
	}
}
