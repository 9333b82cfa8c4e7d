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

	private final java.util.List<FieldProblem> problems;

	/** One input at fault, and what is wrong with it. */
	public record FieldProblem(String field, String message) {
	}

	public InputException(String field, String message) {
		this(java.util.List.of(new FieldProblem(field, message)));
	}

	/** Every input at fault at once, so that a form shows each beside its field; the first is the message. */
	public InputException(java.util.List<FieldProblem> problems) {
		super(problems.get(0).message());
		this.field = problems.get(0).field();
		this.problems = java.util.List.copyOf(problems);
	}

	public String field() {
		return field;
	}

	public java.util.List<FieldProblem> problems() {
		return problems;
	}

	/** 400, or 409 where the request is fine but the state of things forbids it. */
	public HttpStatus status() {
		return HttpStatus.BAD_REQUEST;
	}
}
