// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import org.cairn.panel.system.InputException;

/** A token request that cannot be carried out; {@link #field()} names the input at fault. */
public class TokenException extends InputException {

	public TokenException(String field, String message) {
		super(field, message);
	}
}
