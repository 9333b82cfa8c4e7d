// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No token of the caller has this id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class TokenNotFoundException extends RuntimeException {

	public TokenNotFoundException(long id) {
		super("You have no token " + id);
	}
}
