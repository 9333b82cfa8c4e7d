// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.Optional;

/**
 * A VE saved to disk and back on its node (OpenVZ's {@code vzctl suspend} and {@code resume}): CRIU writes its
 * processes, memory, open files, terminals and TCP connections into the VE's folder and ends them; its next start
 * (or {@link #restore}) brings them back as they were. Its files stay where they are: a checkpoint holds what only
 * the kernel had.
 */
public interface VeCheckpoints {

	/**
	 * Saves the running VE and stops it. A VE CRIU cannot save (a resource inside it that CRIU does not support)
	 * runs on unchanged, and the exception says what CRIU found; a cold move or a stop still works for it.
	 */
	VeStatus checkpoint(String name);

	/** Starts the VE from its checkpoint; refused when it has none. */
	VeStatus restore(String name);

	/** The VE's checkpoint, if it has one. */
	Optional<VeCheckpoint> saved(String name);

	/** Drops the VE's checkpoint: its next start boots it afresh. */
	void discard(String name);

	/** Why this node cannot checkpoint VEs (CRIU missing), or empty when it can. */
	Optional<String> unavailable();
}
