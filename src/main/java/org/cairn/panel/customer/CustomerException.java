// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

/** A request about a customer's holdings that cannot be carried out; {@link #field()} names the input at fault. */
public class CustomerException extends RuntimeException {

	private final String field;

	public CustomerException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
