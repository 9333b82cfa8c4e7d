// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the tests that run VEs: an engine of each test's own, removed after it (see {@link TestEngine}). */
abstract class EngineTest {

	protected TestEngine test;

	protected VeEngine engine;

	/** The cgroup driver the test runs on: the host's (auto) unless a test needs one. */
	protected String cgroupMode() {
		return "auto";
	}

	@BeforeEach
	void openEngine() throws Exception {
		test = TestEngine.create(cgroupMode());
		engine = test.engine;
	}

	@AfterEach
	void closeEngine() {
		test.close();
	}
}
