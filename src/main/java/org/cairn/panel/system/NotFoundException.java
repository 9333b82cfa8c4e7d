// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * No such thing, or none the caller may see (the same answer either way): 404, an HTML error page on pages and
 * a problem document in the API ({@link ApiProblems}). Each feature has its own subclass.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}
}
