// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import org.jspecify.annotations.Nullable;

/** The request bodies of the node agent's API that are not one of the engine's own records. */
final class AgentBodies {

	private AgentBodies() {
	}

	record Reinstall(String template, @Nullable String rootPassword, @Nullable String sshKey, int timeoutSeconds) {
	}

	record RootAccess(@Nullable String rootPassword, @Nullable String sshKey) {
	}

	record Hostname(String hostname) {
	}

	record Flag(boolean on) {
	}
}
