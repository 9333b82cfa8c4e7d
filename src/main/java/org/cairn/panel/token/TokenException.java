// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

/** A token request that cannot be carried out; {@link #field()} names the input at fault. */
public class TokenException extends RuntimeException {

	private final String field;

	public TokenException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
