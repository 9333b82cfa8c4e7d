// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.InputStream;

import org.cairn.engine.migration.ImageChunks;
import org.cairn.engine.network.VeNetwork;

/**
 * Moving a VE to another node, cold: both nodes' halves, which whoever drives the move (the panel) joins by
 * passing what one sends to the other. The files go in passes while the VE runs, then once more, with only what
 * changed, after it stopped ({@code last}); the copy becomes a VE on the target ({@link #arrive}) only after that.
 * Until then the VE is the source's: a move called off ({@link #abandon} on the target, {@link #stay} on the
 * source) leaves it as it was. From its last pass on, the source refuses to start it, so that it never runs on
 * two nodes.
 */
public interface VeMigrations {

	/** What a node checks before it takes a VE in: its record as the source has it. */
	record Departure(String name, String template, long uidBase, long diskBytes, boolean image, VeNetwork network) {
	}

	/** How far a copy got: the last pass of files applied (0: none) and the disk image's chunks. */
	record Arrival(int filesPass, ImageChunks image) {
	}

	// ---- on the source ----

	Departure depart(String name);

	/**
	 * The VE's files but its disk image that changed since pass {@code since} (0: all of them): a stream the caller
	 * reads to its end and closes. {@code last}: the VE must be stopped, and will not start here any more unless
	 * {@link #stay} is called.
	 */
	InputStream sendFiles(String name, int since, boolean last);

	/** The chunks of the VE's disk image that differ from {@code have}; as {@link #sendFiles}. */
	InputStream sendImage(String name, ImageChunks have, boolean last);

	/** The move is over or called off: what it kept here goes, and the VE may start here again. */
	void stay(String name);

	// ---- on the target ----

	/**
	 * Begins taking the VE in, or finds how far an earlier try got: refused (naming why) when a VE of that name is
	 * here, its template is not, its disk does not fit or one of its addresses is another VE's.
	 */
	Arrival receive(Departure departure);

	void applyFiles(String name, int pass, InputStream files);

	void applyImage(String name, InputStream image);

	/**
	 * Makes the copy a VE of this node, with a range of user ids of this node (its own when free here, its files'
	 * owners moved to another otherwise), and starts it when {@code start} (restores it, when its processes came in
	 * a checkpoint) unless it runs already; stopped otherwise. Done again after an interruption, it finishes what was
	 * left.
	 */
	VeStatus arrive(String name, boolean start);

	/** Removes what was received of a VE that did not arrive. */
	void abandon(String name);
}
