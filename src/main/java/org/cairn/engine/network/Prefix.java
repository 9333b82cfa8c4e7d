// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.cairn.engine.EngineException;

/**
 * An IPv4 or IPv6 network written as its address and length ({@code 198.51.100.0/24}, {@code 2001:db8::/32}); an
 * address alone is a /32 or /128. Host bits must be zero, so that what is written is what matches. Errors name
 * the option or field the text came from.
 */
public record Prefix(InetAddress network, int length) {

	private static final Pattern LITERAL = Pattern.compile("^[0-9A-Fa-f:.]+(/\\d{1,3})?$");

	public Prefix {
		check("prefix", network, length);
	}

	private static void check(String option, InetAddress network, int length) {
		int max = network instanceof Inet4Address ? 32 : 128;
		if (length < 0 || length > max) {
			throw new EngineException(option + ": a prefix of " + VeNetwork.format(network) + " is at most /" + max);
		}
		byte[] bytes = network.getAddress();
		for (int bit = length; bit < max; bit++) {
			if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
				throw new EngineException(option + ": " + VeNetwork.format(network) + "/" + length
						+ " has host bits set; write the network's first address");
			}
		}
	}

	/** Whether {@code address} lies in this network. */
	public boolean contains(InetAddress address) {
		byte[] mine = network.getAddress();
		byte[] theirs = address.getAddress();
		if (mine.length != theirs.length) {
			return false;
		}
		for (int bit = 0; bit < length; bit++) {
			int mask = 0x80 >>> (bit % 8);
			if ((mine[bit / 8] & mask) != (theirs[bit / 8] & mask)) {
				return false;
			}
		}
		return true;
	}

	/** Whether the two networks share an address (one holds the other). */
	public boolean overlaps(Prefix other) {
		return length <= other.length ? contains(other.network) : other.contains(network);
	}

	public boolean isIpv4() {
		return network instanceof Inet4Address;
	}

	public static Prefix parse(String option, String text) {
		if (text == null || !LITERAL.matcher(text).matches() || !(text.contains(".") || text.contains(":"))) {
			throw new EngineException(option + ": '" + text + "' is not an address or prefix such as 198.51.100.0/24"
					+ " or 2001:db8::/32");
		}
		String[] parts = text.split("/");
		try {
			// only literals reach here (the pattern): no name is ever looked up
			InetAddress address = InetAddress.getByName(parts[0]);
			int max = address instanceof Inet4Address ? 32 : 128;
			int length = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
			check(option, address, length);
			return new Prefix(address, length);
		}
		catch (UnknownHostException | NumberFormatException ex) {
			throw new EngineException(option + ": '" + text + "' is not an address or prefix");
		}
	}

	@Override
	public String toString() {
		return VeNetwork.format(network) + "/" + length;
	}
}
