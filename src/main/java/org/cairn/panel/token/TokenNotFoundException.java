// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import org.cairn.panel.system.NotFoundException;

/** No token of the caller has this id. */
public class TokenNotFoundException extends NotFoundException {

	public TokenNotFoundException(long id) {
		super("You have no token " + id);
	}
}
