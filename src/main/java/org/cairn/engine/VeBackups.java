// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.jspecify.annotations.Nullable;

/**
 * Backups of VEs into the node's restic repository: incremental and deduplicated across all VEs, each of a VE's
 * files as the VE sees them (its owners, its modes), read and written with the rights of the VE's own root and
 * nothing more, so that no backup or restore ever reads or writes outside the VE. One operation per VE at a time.
 */
public interface VeBackups {

	/** Backs up the VE (running or not; a running one keeps running, each file read as it is at that moment). */
	Snapshot create(String ve, @Nullable String tag);

	/**
	 * A point-in-time backup of a running VE: a first pass while it runs, then a second one, of what changed
	 * meanwhile, with the VE frozen; only the second is kept. The VE is frozen only for the second pass.
	 */
	ConsistentBackup createConsistent(String ve, @Nullable String tag);

	/** The VE's backups, oldest first. */
	List<Snapshot> list(String ve);

	/** One folder of a backup, as the VE saw it. */
	List<SnapshotEntry> files(String ve, String snapshot, String path);

	/**
	 * Puts a file or folder back, with its content, modes, owners and times: in place, or into the folder
	 * {@code to} (made if missing). Nothing of the VE changes unless the whole of it came back. Returns where
	 * it now is.
	 */
	String restore(String ve, String snapshot, String path, @Nullable String to);

	/** Gives back the whole VE as it was: stopped meanwhile, and started again if it ran. */
	void restoreWhole(String ve, String snapshot);

	/** Forgets the VE's backups the policy does not keep; returns the forgotten ones. */
	List<Snapshot> forget(String ve, RetentionPolicy policy);

	/** Verifies the repository (every byte with {@code readData}); its report, or an error. */
	String check(boolean readData);

	/** A daily backup time for the VE, or none with null; kept across restarts. */
	void schedule(String ve, @Nullable LocalTime time);

	Map<String, LocalTime> schedules();

	/** Takes the scheduled backups due at {@code now}, one after the other (the CLI's way). */
	List<ScheduledBackup> runScheduled(ZonedDateTime now);

	/**
	 * The VEs whose scheduled backup is due at {@code now}, each marked as taken for today: a caller runs each
	 * with {@link #runScheduled(String)}, side by side (the panel's way), and no one takes it twice.
	 */
	List<String> takeDue(ZonedDateTime now);

	/** One VE's scheduled backup, now; its failure is in the result, not thrown. */
	ScheduledBackup runScheduled(String ve);

	/** Where the backups are. */
	String repository();

	/** Bytes the repository holds. */
	long storedBytes();

	/** A point-in-time backup and how long the VE was frozen for it. */
	record ConsistentBackup(Snapshot snapshot, java.time.Duration frozenFor) {
	}

	/** What a scheduled backup of one VE gave: a snapshot, or the reason there is none. */
	record ScheduledBackup(String ve, @Nullable Snapshot snapshot, @Nullable String error) {
	}
}
