// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A node of the fleet as the panel knows it: {@code waiting} for its join, then {@code active} with the SHA-256 of
 * the certificate it was given (pinned).
 */
public record FleetNode(long id, String name, String address, String state, @Nullable Instant joinExpiresAt,
		@Nullable String certificateSha256, @Nullable Instant certificateExpiresAt, Instant createdAt,
		@Nullable Instant joinedAt) {
}
