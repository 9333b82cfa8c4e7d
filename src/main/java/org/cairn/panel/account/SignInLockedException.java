// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Instant;

import org.springframework.security.authentication.LockedException;

/** Sign-in is refused because of too many failed attempts, until {@link #until()}. */
public class SignInLockedException extends LockedException {

	private final Instant until;

	private final boolean justLocked;

	SignInLockedException(Instant until, boolean justLocked) {
		super("Too many failed sign-ins: locked until " + until);
		this.until = until;
		this.justLocked = justLocked;
	}

	public Instant until() {
		return until;
	}

	/** True when this attempt started the lock (as opposed to arriving during one). */
	public boolean justLocked() {
		return justLocked;
	}
}
