// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import org.cairn.panel.system.InputException;
import org.springframework.http.HttpStatus;

/** A PTR that cannot be set; {@link #field()} names the input at fault. */
public class PtrException extends InputException {

	public PtrException(String field, String message) {
		super(field, message);
	}

	/** Reverse DNS is off on this node, or its server does not answer: 409, the request itself is fine. */
	static final class Off extends PtrException {

		Off(String message) {
			super("address", message);
		}

		@Override
		public HttpStatus status() {
			return HttpStatus.CONFLICT;
		}
	}
}
