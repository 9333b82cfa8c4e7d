// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.cairn.panel.system.InputException;

/** A request about pools or addresses that cannot be carried out; {@link #field()} names the input at fault. */
public class IpPoolException extends InputException {

	public IpPoolException(String field, String message) {
		super(field, message);
	}
}
