// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** The principal of a signed-in session. Equal by user name, so that all sessions of a user can be found. */
public final class SignedInUser implements UserDetails {

	private final long id;

	private final String username;

	private final String passwordHash;

	private final Role role;

	private final boolean suspended;

	private final boolean passwordChangeRequired;

	SignedInUser(UserAccount account) {
		this.id = account.getId();
		this.username = account.getUsername();
		this.passwordHash = account.getPasswordHash();
		this.role = account.getRole();
		this.suspended = account.isSuspended();
		this.passwordChangeRequired = account.isPasswordChangeRequired();
	}

	public long id() {
		return id;
	}

	public Role role() {
		return role;
	}

	public boolean passwordChangeRequired() {
		return passwordChangeRequired;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority(role.authority()));
	}

	@Override
	public String getPassword() {
		return passwordHash;
	}

	@Override
	public String getUsername() {
		return username;
	}

	@Override
	public boolean isEnabled() {
		return !suspended;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SignedInUser user && user.username.equalsIgnoreCase(username);
	}

	@Override
	public int hashCode() {
		return Objects.hash(username.toLowerCase(java.util.Locale.ROOT));
	}

	@Override
	public String toString() {
		return "SignedInUser[" + username + ", " + role + "]";
	}
}
