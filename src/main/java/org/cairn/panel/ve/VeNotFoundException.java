// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.system.NotFoundException;

/** No VE (or job) with this id belongs to the caller: 404, the same whether it exists for someone else or not. */
public class VeNotFoundException extends NotFoundException {

	public VeNotFoundException(String what, long id) {
		super("You have no " + what + " " + id);
	}
}
