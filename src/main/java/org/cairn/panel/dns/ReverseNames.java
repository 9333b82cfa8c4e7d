// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Where an address's PTR record lives: its name under in-addr.arpa or ip6.arpa, and the zone Cairn keeps it in,
 * an IPv4 /24 or an IPv6 /64 (zones on the boundaries RIRs delegate and hosts route).
 */
final class ReverseNames {

	private ReverseNames() {
	}

	static String ptrName(InetAddress address) {
		byte[] bytes = address.getAddress();
		StringBuilder name = new StringBuilder();
		if (address instanceof Inet4Address) {
			for (int i = 3; i >= 0; i--) {
				name.append(bytes[i] & 0xff).append('.');
			}
			return name.append("in-addr.arpa.").toString();
		}
		for (int i = 15; i >= 0; i--) {
			name.append(Character.forDigit(bytes[i] & 0xf, 16)).append('.')
				.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append('.');
		}
		return name.append("ip6.arpa.").toString();
	}

	static String zone(InetAddress address) {
		String name = ptrName(address);
		// the /24's three labels, or the /64's sixteen nibbles, before the suffix
		int labels = address instanceof Inet4Address ? 1 : 16;
		int at = 0;
		for (int i = 0; i < labels; i++) {
			at = name.indexOf('.', at) + 1;
		}
		return name.substring(at);
	}
}
