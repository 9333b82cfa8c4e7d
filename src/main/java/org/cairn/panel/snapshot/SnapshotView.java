// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import java.time.Instant;

import org.cairn.engine.VeSnapshots;

/**
 * A snapshot as pages and the API show it.
 * @param bytes the space it alone holds (on the VE's disk when it has one)
 * @param frozenMillis how long the VE was frozen while it was taken
 */
public record SnapshotView(String name, Instant created, long bytes, long frozenMillis) {

	static SnapshotView of(VeSnapshots.Snapshot s) {
		return new SnapshotView(s.name(), s.created(), s.bytes(), s.frozen().toMillis());
	}

	/** "12.3 MB", for pages. */
	public String size() {
		return String.format("%.1f MB", bytes / 1048576.0);
	}
}
