// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.time.Instant;

/**
 * A file, folder or link in a snapshot, as the VE saw it: owner ids are the VE's own (0 is its root).
 * @param type file, dir, symlink, dev, chardev, fifo or socket
 * @param permissions as ls shows them, e.g. {@code rwxr-xr-x} with setuid, setgid and sticky bits
 */
public record SnapshotEntry(String path, String name, String type, long size, String permissions, long uid,
		long gid, Instant modified) {
}
