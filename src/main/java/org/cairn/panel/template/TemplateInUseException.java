// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

/** A template VEs use cannot be deleted: 409 in the API, a message on the page. */
class TemplateInUseException extends TemplateException {

	TemplateInUseException(String message) {
		super("template", message);
	}

	@Override
	public org.springframework.http.HttpStatus status() {
		return org.springframework.http.HttpStatus.CONFLICT;
	}
}
