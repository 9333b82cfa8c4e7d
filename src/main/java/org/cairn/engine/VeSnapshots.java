// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Named snapshots of a VE's own files (what it changed over its template), kept on the node: taken running or
 * stopped, rolled back to, deleted. A VE with a disk of its own keeps them on that disk, where they count
 * against its quota; a VE without one keeps them beside its files. A reinstall or destroy removes them.
 */
public interface VeSnapshots {

	Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$");

	/**
	 * One snapshot.
	 * @param bytes the space it alone holds, when it was taken (files unchanged since the snapshot before it are
	 * shared with that one)
	 * @param frozen how long the VE's processes were frozen while it was taken (zero for a stopped VE)
	 */
	record Snapshot(String name, Instant created, long bytes, Duration frozen) {
	}

	/**
	 * Takes a snapshot: a copy of the VE's files while it runs, then, with its processes frozen, of what changed
	 * meanwhile. Refused when one of that name exists; nothing is left of a snapshot that failed.
	 */
	Snapshot create(String ve, String name);

	/** The VE's snapshots, oldest first. */
	List<Snapshot> list(String ve);

	/**
	 * Puts the snapshot's files back: the VE's processes are killed (what they would save on a clean shutdown is
	 * thrown away with the rest of what changed since the snapshot), its files made what they were, and it is
	 * started again if it ran. The snapshot stays.
	 */
	void rollback(String ve, String name);

	void delete(String ve, String name);

	static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new EngineException("snapshot: '" + name + "' is not a snapshot name (up to 40 letters, digits, '.',"
					+ " '_', '-', starting with a letter or digit)");
		}
	}
}
