// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

/** A node's join that did not happen; the message says why and what to do. */
public class JoinException extends RuntimeException {

	public JoinException(String message) {
		super(message);
	}

	public JoinException(String message, Throwable cause) {
		super(message, cause);
	}
}
