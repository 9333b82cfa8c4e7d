// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** A restore as pages and the API show it, with the state of its job. */
public record RestoreView(long id, String snapshot, String path, String destination, @Nullable String reason,
		String by, boolean bySupport, Instant at, long jobId, String state, @Nullable String error) {
}
