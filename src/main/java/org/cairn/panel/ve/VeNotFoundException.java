// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No VE (or job) with this id belongs to the caller: 404, the same whether it exists for someone else or not. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class VeNotFoundException extends RuntimeException {

	public VeNotFoundException(String what, long id) {
		super("You have no " + what + " " + id);
	}
}
