// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import org.cairn.panel.system.InputException;

/** A request about a plan that cannot be carried out; {@link #field()} names the input at fault. */
public class PlanException extends InputException {

	public PlanException(String field, String message) {
		super(field, message);
	}
}
