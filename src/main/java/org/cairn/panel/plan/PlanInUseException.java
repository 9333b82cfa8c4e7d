// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

/** A plan that is held cannot be deleted: 409 in the API, a message on the page. */
public class PlanInUseException extends PlanException {

	PlanInUseException(String name, long holders) {
		super("plan", "The plan " + name + " is held by " + holders + (holders == 1 ? " customer" : " customers")
				+ "; retire it instead: it then takes no new VEs");
	}

	@Override
	public org.springframework.http.HttpStatus status() {
		return org.springframework.http.HttpStatus.CONFLICT;
	}
}
