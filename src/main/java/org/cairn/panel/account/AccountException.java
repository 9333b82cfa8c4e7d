// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

/** A request about an account that cannot be carried out; {@link #field()} names the input at fault. */
public class AccountException extends RuntimeException {

	private final String field;

	public AccountException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
