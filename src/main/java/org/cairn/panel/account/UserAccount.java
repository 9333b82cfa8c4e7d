// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

/** A person who signs in to the panel. */
@Entity
@Table(name = "user_account")
public class UserAccount {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, updatable = false)
	private String username;

	@Column(nullable = false)
	private String email;

	@Column(name = "password_hash", nullable = false)
	private String passwordHash;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private Role role;

	private boolean suspended;

	@Column(name = "password_change_required")
	private boolean passwordChangeRequired;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt = Instant.now();

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt = Instant.now();

	protected UserAccount() {
	}

	UserAccount(String username, String email, String passwordHash, Role role, boolean passwordChangeRequired) {
		this.username = username;
		this.email = email;
		this.passwordHash = passwordHash;
		this.role = role;
		this.passwordChangeRequired = passwordChangeRequired;
	}

	@PreUpdate
	void touch() {
		updatedAt = Instant.now();
	}

	public Long getId() {
		return id;
	}

	public String getUsername() {
		return username;
	}

	public String getEmail() {
		return email;
	}

	public Role getRole() {
		return role;
	}

	public boolean isSuspended() {
		return suspended;
	}

	public boolean isPasswordChangeRequired() {
		return passwordChangeRequired;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	String getPasswordHash() {
		return passwordHash;
	}

	void changeDetails(String email, Role role) {
		this.email = email;
		this.role = role;
	}

	void changePassword(String passwordHash, boolean changeRequired) {
		this.passwordHash = passwordHash;
		this.passwordChangeRequired = changeRequired;
	}

	void setSuspended(boolean suspended) {
		this.suspended = suspended;
	}
}
