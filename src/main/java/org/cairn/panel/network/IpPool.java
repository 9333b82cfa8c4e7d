// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import java.util.List;

/**
 * A range of the node's addresses for VEs, with the name servers VEs given one of them get; or, for IPv6, a
 * prefix cut into prefixes of {@code prefixLength} that VEs get whole.
 * @param size addresses (or prefixes) in the pool; {@code used} of them are a VE's now
 * @param prefixLength the length of the prefixes it hands out; 0 for a pool of addresses
 * @param ptrCheck whether a PTR name set for its addresses must resolve back to the address
 * @param node the fleet's node whose VEs it serves ("local": the panel's own machine; null: a node group's pool)
 * @param nodeGroup the node group all of whose nodes it serves, or null
 */
public record IpPool(long id, String name, int family, String first, String last, List<String> nameservers, long size,
		long used, int prefixLength, boolean ptrCheck, @org.jspecify.annotations.Nullable String node,
		@org.jspecify.annotations.Nullable String nodeGroup) {

	public boolean handsOutPrefixes() {
		return prefixLength > 0;
	}
}
