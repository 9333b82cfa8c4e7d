// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.cairn.engine.TestEngine;
import org.cairn.engine.TestNode;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The engine under the panel's tests: a test engine of its own (temporary root, cgroups under cairn-test-*,
 * far uids, the busybox template), shared by every panel test of the JVM and removed, VEs and all, when the
 * JVM ends.
 */
public final class PanelEngine {

	private static TestEngine shared;

	private static TestNode node;

	private PanelEngine() {
	}

	public static synchronized TestEngine shared() {
		if (shared == null) {
			try {
				// VEs with addresses get their links in a network namespace of the tests' own, not the host's
				node = TestNode.create();
				shared = TestEngine.create("auto", node.network());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			TestEngine engine = shared;
			TestNode held = node;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				engine.close();
				held.close();
			}));
		}
		return shared;
	}

	/** The namespace standing in for the node's network, where the panel's VEs have their links. */
	public static synchronized TestNode node() {
		shared();
		return node;
	}

	public static void register(DynamicPropertyRegistry registry) {
		registry.add("cairn.engine.root", () -> shared().settings.root().toString());
		registry.add("cairn.engine.cgroup-parent", () -> shared().settings.cgroupParent());
		registry.add("cairn.engine.first-uid", () -> shared().settings.firstUid());
		registry.add("cairn.engine.node-netns", () -> {
			shared();
			return node.namespace().toString();
		});
	}
}
