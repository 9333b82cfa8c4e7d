// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Where the node's side of VE networks lives.
 * @param namespace the network namespace holding the node's side (VE links, routes, the anti-spoofing table),
 * as a path such as /proc/PID/ns/net; null for the host's own. Tests give one of their own so that no route or
 * rule of the real host changes.
 */
public record NodeNetwork(@Nullable Path namespace) {

	public static final NodeNetwork HOST = new NodeNetwork(null);
}
