// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.jspecify.annotations.Nullable;

/**
 * A new pool as typed: a name, its first and last address (or a prefix as the first), and name servers separated
 * by spaces or commas. With a prefix length, an IPv6 prefix cut into prefixes of that length, handed out whole.
 * {@code node} names the fleet's node whose VEs it serves (empty, or "local": the panel's own machine), or
 * {@code nodeGroup} the node group all of whose nodes it serves.
 */
public record IpPoolForm(@Nullable String name, @Nullable String first, @Nullable String last,
		@Nullable String nameservers, @Nullable String prefixLength, @Nullable String node,
		@Nullable String nodeGroup) {

	public IpPoolForm(@Nullable String name, @Nullable String first, @Nullable String last, @Nullable String nameservers,
			@Nullable String prefixLength, @Nullable String node) {
		this(name, first, last, nameservers, prefixLength, node, null);
	}

	public IpPoolForm(@Nullable String name, @Nullable String first, @Nullable String last, @Nullable String nameservers) {
		this(name, first, last, nameservers, null, null, null);
	}

	public IpPoolForm(@Nullable String name, @Nullable String first, @Nullable String last, @Nullable String nameservers,
			@Nullable String prefixLength) {
		this(name, first, last, nameservers, prefixLength, null, null);
	}
}
