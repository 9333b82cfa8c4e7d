// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** What the admin's audit page asks for; empty texts and null values mean "any". */
public record AuditFilter(String actor, String action, @Nullable Outcome outcome, @Nullable Instant from,
		@Nullable Instant until) {

	public AuditFilter {
		actor = actor == null ? "" : actor.strip();
		action = action == null ? "" : action.strip();
	}
}
