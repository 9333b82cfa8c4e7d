// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import org.cairn.panel.system.NotFoundException;

/** No plan has this id: 404 on pages and in the API. */
public class PlanNotFoundException extends NotFoundException {

	public PlanNotFoundException(long id) {
		super("There is no plan " + id);
	}
}
