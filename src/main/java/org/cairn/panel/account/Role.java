// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

/** What a user may do in the panel; each role has its own dashboard. */
public enum Role {

	CUSTOMER("/customer"), SUPPORT("/support"), ADMIN("/admin");

	private final String dashboard;

	Role(String dashboard) {
		this.dashboard = dashboard;
	}

	/** The page a user of this role lands on after signing in. */
	public String dashboard() {
		return dashboard;
	}

	public String authority() {
		return "ROLE_" + name();
	}
}
