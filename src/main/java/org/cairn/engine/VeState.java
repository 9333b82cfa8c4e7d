// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

/** Where a VE is in its life, as read from the kernel and the engine's own records. */
public enum VeState {
	/** No process runs; the files are kept. */
	STOPPED,
	/** Its init runs. */
	RUNNING,
	/** Frozen: its processes exist but get no CPU time. */
	SUSPENDED,
	/** An operation on it is under way (or was interrupted and is repaired at the next engine start). */
	BUSY;

	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}
}
