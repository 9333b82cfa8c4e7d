// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;

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

	record Tag(@Nullable String tag) {
	}

	record Restore(String path, @Nullable String to) {
	}

	/** What a restore or a check answers: where the files went, or what the check said. */
	record Restored(String text) {
	}

	record Schedule(@Nullable LocalTime time) {
	}

	record Now(ZonedDateTime now) {
	}

	record Repository(String location, long storedBytes) {
	}

	/** The node-wide firewall rules, as {@code NodeRule} writes and parses them. */
	record NodeRules(List<String> rules) {
	}

	/** Outbound NAT: through this interface, or off (null). */
	record Nat(@Nullable String device) {
	}

	record SavedCheckpoint(org.cairn.engine.@Nullable VeCheckpoint checkpoint) {
	}

	record Why(@Nullable String why) {
	}

	record Pem(String pem) {
	}
}
