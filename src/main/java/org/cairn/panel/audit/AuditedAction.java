// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

import org.jspecify.annotations.Nullable;

/**
 * Something a user did that the audit log must remember. Published as an application event by the module
 * that did it; the audit module writes it down with the source address of the current request.
 * @param actor who did it, or null for the signed-in user
 * @param action what was done, as an upper-case verb phrase such as {@code USER_SUSPEND}
 * @param target what it was done to, such as {@code user:alice}
 */
public record AuditedAction(@Nullable String actor, String action, @Nullable String target, Outcome outcome,
		@Nullable String detail) {

	public static AuditedAction success(String action, String target) {
		return new AuditedAction(null, action, target, Outcome.SUCCESS, null);
	}

	/** The same action, done by {@code who} (where no signed-in user is at hand, as in a token's request). */
	public AuditedAction withActor(String who) {
		return new AuditedAction(who, action, target, outcome, detail);
	}

	public static AuditedAction failure(String action, String target, String detail) {
		return new AuditedAction(null, action, target, Outcome.FAILURE, detail);
	}
}
