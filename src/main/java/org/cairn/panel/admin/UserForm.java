// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.admin;

import java.util.Optional;

import org.cairn.panel.account.Role;

/**
 * The admin's form for creating or editing a user; an empty password means "generate a one-time one".
 * The role stays text until {@link #roleValue()}, so that a bad value is reported beside its field.
 */
record UserForm(String username, String email, String role, String password) {

	static UserForm empty() {
		return new UserForm("", "", Role.CUSTOMER.name(), "");
	}

	Optional<Role> roleValue() {
		try {
			return Optional.of(Role.valueOf(role == null ? "" : role.strip().toUpperCase(java.util.Locale.ROOT)));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}
}
