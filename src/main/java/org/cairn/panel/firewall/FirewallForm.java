// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A VE's whole firewall as the API sends it: {@code {"policy":"drop","icmp":true,"established":true,
 * "rules":["allow tcp 80","allow tcp 22 from 198.51.100.0/24"]}}. What is left out stays as it is.
 */
public record FirewallForm(@Nullable String policy, @Nullable Boolean icmp, @Nullable Boolean established,
		@Nullable List<String> rules) {
}
