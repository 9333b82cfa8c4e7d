// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

@ResponseStatus(HttpStatus.NOT_FOUND)
public class UserNotFoundException extends RuntimeException {

	public UserNotFoundException(long id) {
		super("No user with id " + id);
	}
}
