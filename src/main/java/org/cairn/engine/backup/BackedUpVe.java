// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

/**
 * Whose backups: a VE's name and its id, which no later VE of the same name shares, so that a new VE never
 * sees (or restores) the backups of an old one.
 */
public record BackedUpVe(String name, String id) {

	public String idTag() {
		return "ve-id:" + id;
	}

	/** The tag of a consistent backup's first pass: never listed, removed at the VE's next retention. */
	public String firstPassTag() {
		return "ve-first-pass:" + id;
	}

	public String nameTag() {
		return "ve:" + name;
	}

	/** restic's host of the VE's snapshots: its own previous backup is the parent of the next one. */
	public String host() {
		return "ve-" + id;
	}
}
