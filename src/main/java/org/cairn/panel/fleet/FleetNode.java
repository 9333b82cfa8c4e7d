// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A node of the fleet as the panel knows it: {@code waiting} for its join, then {@code active} (or {@code draining},
 * taking no new VEs, or in {@code maintenance}) with the SHA-256 of the certificate it was given (pinned), and what
 * its agent said when it last answered; {@code group} is its node group (see {@link NodeGroups}), null for none.
 */
public record FleetNode(long id, String name, String address, String state, @Nullable Instant joinExpiresAt,
		@Nullable String certificateSha256, @Nullable Instant certificateExpiresAt, Instant createdAt,
		@Nullable Instant joinedAt, Health health, @Nullable String group) {

	/**
	 * What the node's agent last said of itself, and when; {@code error} is why the last call failed (null when it
	 * answered).
	 */
	public record Health(@Nullable Instant lastContact, @Nullable String error, @Nullable String version,
			@Nullable String kernel, @Nullable String cgroupVersion, long memoryBytes, int cpus, long diskBytes,
			long diskFreeBytes, List<String> templates) {

		public boolean reachable() {
			return lastContact != null && error == null;
		}
	}

	public boolean joined() {
		return certificateSha256 != null;
	}
}
