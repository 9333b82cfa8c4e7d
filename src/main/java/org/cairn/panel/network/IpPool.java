// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import java.util.List;

/**
 * A range of the node's addresses for VEs, with the name servers VEs given one of them get.
 * @param size addresses in the range; {@code used} of them are a VE's now
 */
public record IpPool(long id, String name, int family, String first, String last, List<String> nameservers, long size,
		long used) {
}
