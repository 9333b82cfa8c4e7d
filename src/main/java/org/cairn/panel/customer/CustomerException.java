// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import org.cairn.panel.system.InputException;

/** A request about a customer's holdings that cannot be carried out; {@link #field()} names the input at fault. */
public class CustomerException extends InputException {

	public CustomerException(String field, String message) {
		super(field, message);
	}
}
