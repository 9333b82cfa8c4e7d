// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** A personal API token as its owner sees it (never its secret, which is shown once, at creation). */
public record ApiToken(long id, String name, String prefix, Instant createdAt, Instant expiresAt,
		@Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

	public boolean active(Instant now) {
		return revokedAt == null && now.isBefore(expiresAt);
	}
}
