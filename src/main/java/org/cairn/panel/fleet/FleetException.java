// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import org.cairn.panel.system.InputException;

/** A request about nodes that cannot be carried out; {@link #field()} names the input at fault. */
public class FleetException extends InputException {

	public FleetException(String field, String message) {
		super(field, message);
	}
}
