// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import org.cairn.panel.system.InputException;

/** A firewall change that cannot be made; {@link #field()} names the input at fault. */
public class FirewallException extends InputException {

	public FirewallException(String field, String message) {
		super(field, message);
	}
}
