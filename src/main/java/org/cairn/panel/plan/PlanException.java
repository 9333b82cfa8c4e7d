// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

/** A request about a plan that cannot be carried out; {@link #field()} names the input at fault. */
public class PlanException extends RuntimeException {

	private final String field;

	public PlanException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
