// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

/** A request about a VE that cannot be carried out; {@link #field()} names the input at fault. */
public class VeException extends RuntimeException {

	private final String field;

	public VeException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
