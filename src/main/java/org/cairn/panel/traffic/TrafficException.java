// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import org.cairn.panel.system.InputException;

/** A traffic request that cannot be answered; {@link #field()} names the input at fault. */
class TrafficException extends InputException {

	TrafficException(String field, String message) {
		super(field, message);
	}
}
