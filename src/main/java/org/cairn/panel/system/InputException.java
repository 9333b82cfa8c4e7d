// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.http.HttpStatus;

/**
 * A request that cannot be carried out because of what was asked: {@link #field()} names the input at fault,
 * and the API answers it as a problem document with that field ({@link ApiProblems}); pages show the message
 * beside the field. Each feature has its own subclass.
 */
public class InputException extends RuntimeException {

	private final String field;

	public InputException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}

	/** 400, or 409 where the request is fine but the state of things forbids it. */
	public HttpStatus status() {
		return HttpStatus.BAD_REQUEST;
	}
}
