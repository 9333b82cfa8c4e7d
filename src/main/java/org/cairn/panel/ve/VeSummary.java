// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Instant;
import java.util.List;

/**
 * A VE as its owner sees it: the panel's record with the engine's live state.
 * @param state creating, stopped, running, suspended, busy or destroying
 * @param addresses its IPv4 and IPv6 addresses from the node's pools, and those of its prefixes its owner added
 * @param prefixes IPv6 prefixes routed to it whole
 */
public record VeSummary(long id, String hostname, String template, long planId, String planName, String state,
		List<String> addresses, List<String> prefixes, Instant createdAt) {
}
