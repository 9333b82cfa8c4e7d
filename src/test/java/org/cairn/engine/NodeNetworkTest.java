// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test with VE networks: a node namespace of its own (the engine's links, routes and tables go there, never into
 * the host's) and an engine on it, both made before each test and gone after it.
 */
abstract class NodeNetworkTest {

	protected TestNode node;

	protected TestEngine test;

	protected VeEngine engine;

	@BeforeEach
	void openNodeAndEngine() throws Exception {
		node = TestNode.create();
		test = TestEngine.create("auto", node.network());
		engine = test.engine;
	}

	@AfterEach
	void closeEngineAndNode() {
		try {
			test.close();
		}
		finally {
			node.close();
		}
	}
}
