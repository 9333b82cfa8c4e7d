// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The node's kernel limits that every VE draws on together. Inotify instances and watches are counted per user
 * up the user namespaces, so every VE's are charged to the node's root: Linux's default of 128 instances stops
 * the systemd of the third dozen VEs at boot ("Failed to create control group inotify object: Too many open
 * files"). Raised before a VE starts to what Incus recommends for a production node; never lowered.
 */
final class NodeLimits {

	static final Map<String, Long> AT_LEAST = Map.of("fs/inotify/max_user_instances", 1_048_576L,
			"fs/inotify/max_user_watches", 1_048_576L, "fs/inotify/max_queued_events", 1_048_576L);

	private static volatile boolean raised;

	private NodeLimits() {
	}

	static void raise() {
		if (raised) {
			return;
		}
		synchronized (NodeLimits.class) {
			for (var limit : AT_LEAST.entrySet()) {
				Path file = Path.of("/proc/sys", limit.getKey());
				try {
					if (Long.parseLong(Files.readString(file).strip()) < limit.getValue()) {
						Files.writeString(file, Long.toString(limit.getValue()));
					}
				}
				catch (IOException | NumberFormatException ex) {
					throw new EngineException("Cannot raise " + file + " to " + limit.getValue() + " (VEs share it): "
							+ ex.getMessage(), ex);
				}
			}
			raised = true;
		}
	}
}
