// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import org.cairn.panel.system.InputException;

/** A snapshot request that cannot be carried out; {@link #field()} names the input at fault. */
public class SnapshotException extends InputException {

	public SnapshotException(String field, String message) {
		super(field, message);
	}
}
