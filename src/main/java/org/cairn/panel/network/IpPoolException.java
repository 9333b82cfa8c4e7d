// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

/** A request about pools or addresses that cannot be carried out; {@link #field()} names the input at fault. */
public class IpPoolException extends RuntimeException {

	private final String field;

	public IpPoolException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
