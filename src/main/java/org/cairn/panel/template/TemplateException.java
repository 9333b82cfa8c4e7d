// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import org.cairn.panel.system.InputException;

/** A template request that cannot be carried out; {@link #field()} names the input at fault. */
public class TemplateException extends InputException {

	public TemplateException(String field, String message) {
		super(field, message);
	}
}
