// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No plan has this id: 404 on pages and in the API. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class PlanNotFoundException extends RuntimeException {

	public PlanNotFoundException(long id) {
		super("There is no plan " + id);
	}
}
