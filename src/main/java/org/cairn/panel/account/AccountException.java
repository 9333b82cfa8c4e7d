// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.cairn.panel.system.InputException;

/** A request about an account that cannot be carried out; {@link #field()} names the input at fault. */
public class AccountException extends InputException {

	public AccountException(String field, String message) {
		super(field, message);
	}
}
