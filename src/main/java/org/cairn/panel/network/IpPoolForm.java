// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.jspecify.annotations.Nullable;

/** A new pool as typed: a name, its first and last address, and name servers separated by spaces or commas. */
public record IpPoolForm(@Nullable String name, @Nullable String first, @Nullable String last,
		@Nullable String nameservers) {
}
