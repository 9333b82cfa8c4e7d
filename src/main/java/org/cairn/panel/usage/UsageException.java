// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import org.cairn.panel.system.InputException;

/** A usage request that cannot be answered; {@link #field()} names the input at fault. */
public class UsageException extends InputException {

	public UsageException(String field, String message) {
		super(field, message);
	}
}
