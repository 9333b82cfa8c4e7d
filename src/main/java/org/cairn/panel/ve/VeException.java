// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.system.InputException;

/** A request about a VE that cannot be carried out; {@link #field()} names the input at fault. */
public class VeException extends InputException {

	public VeException(String field, String message) {
		super(field, message);
	}

	public VeException(java.util.List<FieldProblem> problems) {
		super(problems);
	}
}
