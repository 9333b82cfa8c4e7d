// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.cairn.engine.EngineException;

/**
 * A VE's network: its own addresses (IPv4 and IPv6, routed to it by the node), IPv6 prefixes routed to it whole,
 * the name servers written to its /etc/resolv.conf and an optional cap on what it sends. A VE without addresses
 * or prefixes has loopback only.
 * @param addresses the VE's addresses, each at most once, in the order given (those of its prefixes among them)
 * @param nameservers written to /etc/resolv.conf when the VE is made
 * @param egressBitsPerSecond what the VE may send, bits per second; 0 for no cap
 * @param prefixes IPv6 networks routed to the VE: every address in them is the VE's, listed or not
 */
public record VeNetwork(List<InetAddress> addresses, List<InetAddress> nameservers, long egressBitsPerSecond,
		List<Prefix> prefixes) {

	public static final VeNetwork NONE = new VeNetwork(List.of(), List.of(), 0);

	/** The shortest prefix a VE may be given: a /32 is a whole provider's. */
	public static final int SHORTEST_PREFIX = 40;

	/** Beyond 100 Gbit/s a cap means nothing on any node. */
	private static final long MOST_BITS_PER_SECOND = 100_000_000_000L;

	private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

	private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");

	private static final Pattern RATE = Pattern.compile("^(\\d{1,12})([KkMmGg]?)$");

	public VeNetwork(List<InetAddress> addresses, List<InetAddress> nameservers, long egressBitsPerSecond) {
		this(addresses, nameservers, egressBitsPerSecond, List.of());
	}

	public VeNetwork {
		addresses = List.copyOf(addresses);
		nameservers = List.copyOf(nameservers);
		prefixes = List.copyOf(prefixes);
		for (int i = 0; i < prefixes.size(); i++) {
			Prefix prefix = prefixes.get(i);
			if (prefix.isIpv4() || prefix.length() < SHORTEST_PREFIX || prefix.length() > 128) {
				throw new EngineException("prefix: " + prefix + " is not an IPv6 prefix of /" + SHORTEST_PREFIX
						+ " to /128");
			}
			checkUsable("prefix", prefix.network());
			for (int j = 0; j < i; j++) {
				if (prefixes.get(j).overlaps(prefix)) {
					throw new EngineException("prefix: " + prefix + " overlaps " + prefixes.get(j));
				}
			}
		}
		if (new LinkedHashSet<>(addresses).size() != addresses.size()) {
			throw new EngineException("ip: an address is given twice");
		}
		for (InetAddress address : addresses) {
			checkUsable("ip", address);
		}
		if (egressBitsPerSecond < 0 || egressBitsPerSecond > MOST_BITS_PER_SECOND) {
			throw new EngineException("bandwidth: between 0 (no cap) and 100G bits per second");
		}
		if (egressBitsPerSecond > 0 && egressBitsPerSecond < 64_000) {
			throw new EngineException("bandwidth: at least 64K bits per second, or 0 for no cap");
		}
	}

	/**
	 * An address as typed: dotted IPv4 or IPv6, no host names (nothing is looked up).
	 * @param option the option or field it comes from, named in the error
	 */
	public static InetAddress parseAddress(String option, String text) {
		String value = text == null ? "" : text.strip();
		try {
			// literals only: a host name would be looked up
			if (IPV4.matcher(value).matches()) {
				InetAddress address = InetAddress.ofLiteral(value);
				if (format(address).equals(value)) {
					return address;
				}
			}
			else if (IPV6.matcher(value).matches()) {
				return InetAddress.ofLiteral(value);
			}
		}
		catch (IllegalArgumentException ex) {
			// named below
		}
		throw new EngineException(option + ": '" + text + "' is not an IPv4 or IPv6 address");
	}

	/** An address as people write it: IPv6 in RFC 5952's short form (2001:db8::10), IPv4 dotted. */
	public static String format(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address.getHostAddress();
		}
		byte[] bytes = address.getAddress();
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		// the longest run of two or more zero groups, the first of equals, becomes "::"
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int length = 0;
			while (i + length < 8 && groups[i + length] == 0) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

	/** A rate in bits per second: 500K, 100M, 1G (decimal, as network rates are), or a plain number. */
	public static long parseRate(String option, String text) {
		var matcher = RATE.matcher(text == null ? "" : text.strip());
		if (!matcher.matches()) {
			throw new EngineException(option + ": '" + text + "' is not a rate (bits per second: 500K, 100M, 1G)");
		}
		long factor = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
			case "K" -> 1_000L;
			case "M" -> 1_000_000L;
			case "G" -> 1_000_000_000L;
			default -> 1L;
		};
		long rate = Long.parseLong(matcher.group(1));
		if (rate > MOST_BITS_PER_SECOND / factor) {
			throw new EngineException(option + ": '" + text + "' is more than 100G bits per second");
		}
		return rate * factor;
	}

	/** An address a VE can own: not loopback, link-local, multicast, the unspecified or a broadcast one. */
	static void checkUsable(String option, InetAddress address) {
		if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()
				|| address.isAnyLocalAddress() || format(address).equals("255.255.255.255")) {
			throw new EngineException(option + ": " + format(address)
					+ " cannot be a VE's address (loopback, link-local, multicast or unspecified)");
		}
	}

	public List<InetAddress> ipv4() {
		return addresses.stream().filter(Inet4Address.class::isInstance).toList();
	}

	public List<InetAddress> ipv6() {
		return addresses.stream().filter(Inet6Address.class::isInstance).toList();
	}

	public boolean isConnected() {
		return !addresses.isEmpty() || !prefixes.isEmpty();
	}

	public VeNetwork withPrefix(Prefix prefix) {
		if (prefixes.contains(prefix)) {
			throw new EngineException("prefix-add: the VE already has " + prefix);
		}
		List<Prefix> more = new ArrayList<>(prefixes);
		more.add(prefix);
		return new VeNetwork(addresses, nameservers, egressBitsPerSecond, more);
	}

	/** Without the prefix, and without the addresses of it the VE had: they are no longer routed to it. */
	public VeNetwork withoutPrefix(Prefix prefix) {
		if (!prefixes.contains(prefix)) {
			throw new EngineException("prefix-del: the VE has no prefix " + prefix);
		}
		return new VeNetwork(addresses.stream().filter(a -> !prefix.contains(a)).toList(), nameservers,
				egressBitsPerSecond, prefixes.stream().filter(p -> !p.equals(prefix)).toList());
	}

	public VeNetwork withAddress(InetAddress address) {
		if (addresses.contains(address)) {
			throw new EngineException("ip-add: the VE already has " + format(address));
		}
		List<InetAddress> more = new ArrayList<>(addresses);
		more.add(address);
		return new VeNetwork(more, nameservers, egressBitsPerSecond, prefixes);
	}

	public VeNetwork withoutAddress(InetAddress address) {
		if (!addresses.contains(address)) {
			throw new EngineException("ip-del: the VE has no address " + format(address));
		}
		return new VeNetwork(addresses.stream().filter(a -> !a.equals(address)).toList(), nameservers,
				egressBitsPerSecond, prefixes);
	}

	public VeNetwork withEgress(long bitsPerSecond) {
		return new VeNetwork(addresses, nameservers, bitsPerSecond, prefixes);
	}

	public void store(Properties p) {
		p.setProperty("net.addresses", join(addresses));
		p.setProperty("net.nameservers", join(nameservers));
		p.setProperty("net.egress-bps", Long.toString(egressBitsPerSecond));
		p.setProperty("net.prefixes", prefixes.stream().map(Prefix::toString).collect(Collectors.joining(",")));
	}

	public static VeNetwork load(Properties p) {
		return new VeNetwork(split(p.getProperty("net.addresses", "")), split(p.getProperty("net.nameservers", "")),
				Long.parseLong(p.getProperty("net.egress-bps", "0")),
				Arrays.stream(p.getProperty("net.prefixes", "").split(",")).filter(s -> !s.isBlank())
					.map(s -> Prefix.parse("net", s)).toList());
	}

	private static String join(List<InetAddress> list) {
		return list.stream().map(VeNetwork::format).collect(Collectors.joining(","));
	}

	private static List<InetAddress> split(String text) {
		return Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(s -> parseAddress("net", s)).toList();
	}
}
