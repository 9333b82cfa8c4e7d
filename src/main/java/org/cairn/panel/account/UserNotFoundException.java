// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.cairn.panel.system.NotFoundException;

public class UserNotFoundException extends NotFoundException {

	public UserNotFoundException(long id) {
		super("No user with id " + id);
	}
}
