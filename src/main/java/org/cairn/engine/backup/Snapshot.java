// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.time.Instant;
import java.util.List;

/**
 * One backup of one VE: a restic snapshot of the VE's files as the VE sees them.
 * @param id restic's snapshot id (64 hex digits)
 * @param ve the VE it is a backup of
 * @param time when it was taken
 * @param tags the caller's tags (restic's own "ve:NAME" tag left out)
 */
public record Snapshot(String id, String ve, Instant time, List<String> tags) {

	public Snapshot {
		tags = List.copyOf(tags);
	}

	public String shortId() {
		return id.substring(0, 8);
	}
}
