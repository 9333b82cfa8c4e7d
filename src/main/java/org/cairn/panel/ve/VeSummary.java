// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Instant;

/**
 * A VE as its owner sees it: the panel's record with the engine's live state.
 * @param state creating, stopped, running, suspended, busy or destroying
 */
public record VeSummary(long id, String hostname, String template, long planId, String planName, String state,
		Instant createdAt) {
}
