// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a copy of a disk image holds: its size, and the SHA-256 (hex) of each chunk of {@link ImageSync#CHUNK} bytes
 * that holds data, by the chunk's index; a chunk not listed is a hole. The source sends only the chunks whose digest
 * differs from the copy's.
 */
public record ImageChunks(long size, Map<Integer, String> digests) {

	public static final ImageChunks NONE = new ImageChunks(0, Map.of());

	public ImageChunks {
		digests = Map.copyOf(new TreeMap<>(digests));
	}

	/** The bytes the copy holds. */
	public long dataBytes() {
		return (long) digests.size() * ImageSync.CHUNK;
	}
}
