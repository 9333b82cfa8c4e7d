// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import org.cairn.panel.system.NotFoundException;

/** No snapshot of that name on the VE. */
class SnapshotNotFoundException extends NotFoundException {

	SnapshotNotFoundException(String hostname, String name) {
		super(hostname + " has no snapshot named " + name);
	}
}
