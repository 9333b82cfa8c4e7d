// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.firewall;

import java.util.Locale;

import org.cairn.engine.EngineException;
import org.cairn.engine.network.Prefix;

/**
 * One inbound rule of a VE's firewall, as a customer writes it: {@code allow tcp 80},
 * {@code allow tcp 8000-8100 from 198.51.100.0/24}, {@code drop udp 53}, {@code drop any from 2001:db8::/32},
 * {@code allow icmp}. Ports only with tcp and udp; the source is any address when none is given.
 */
public record FirewallRule(Action action, Protocol protocol, PortRange ports, Prefix source) {

	public enum Action {
		ALLOW, DROP;

		String word() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public enum Protocol {
		TCP, UDP, ICMP, ANY;

		String word() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public FirewallRule {
		if (action == null || protocol == null) {
			throw new EngineException("firewall: a rule needs an action and a protocol");
		}
		if (ports != null && protocol != Protocol.TCP && protocol != Protocol.UDP) {
			throw new EngineException("firewall: ports go with tcp or udp only, not " + protocol.word());
		}
	}

	/** The rule as the CLI and the panel write it, which {@link #parse} reads back. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(action.word()).append(' ').append(protocol.word());
		if (ports != null) {
			text.append(' ').append(ports);
		}
		if (source != null) {
			text.append(" from ").append(source);
		}
		return text.toString();
	}

	/** {@code allow|drop tcp|udp|icmp|any [PORT|FROM-TO] [from PREFIX]}; a clear error naming what is wrong. */
	public static FirewallRule parse(String text) {
		String[] words = text == null ? new String[0] : text.strip().split("\\s+");
		if (words.length < 2 || words[0].isEmpty()) {
			throw new EngineException("firewall: a rule is 'allow|drop tcp|udp|icmp|any [PORT[-PORT]] [from PREFIX]',"
					+ " not '" + text + "'");
		}
		Action action = word(Action.class, words[0], "an action (allow or drop)");
		Protocol protocol = word(Protocol.class, words[1], "a protocol (tcp, udp, icmp or any)");
		int next = 2;
		PortRange ports = null;
		if (next < words.length && !words[next].equalsIgnoreCase("from")) {
			ports = PortRange.parse(words[next++]);
		}
		Prefix source = null;
		if (next < words.length) {
			if (!words[next].equalsIgnoreCase("from") || next + 1 >= words.length) {
				throw new EngineException("firewall: after the ports comes 'from PREFIX', not '" + words[next] + "'");
			}
			source = Prefix.parse("firewall", words[next + 1]);
			next += 2;
		}
		if (next < words.length) {
			throw new EngineException("firewall: '" + words[next] + "' is more than a rule says");
		}
		return new FirewallRule(action, protocol, ports, source);
	}

	private static <E extends Enum<E>> E word(Class<E> type, String word, String what) {
		try {
			return Enum.valueOf(type, word.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new EngineException("firewall: '" + word + "' is not " + what);
		}
	}

	/** Ports {@code from}..{@code to}, 1 to 65535. */
	public record PortRange(int from, int to) {

		public PortRange {
			if (from < 1 || to > 65535 || from > to) {
				throw new EngineException("firewall: ports are 1 to 65535, the first of a range not above the last");
			}
		}

		static PortRange parse(String text) {
			String[] ends = text.split("-", -1);
			try {
				if (ends.length == 1) {
					int port = Integer.parseInt(ends[0]);
					return new PortRange(port, port);
				}
				if (ends.length == 2) {
					return new PortRange(Integer.parseInt(ends[0]), Integer.parseInt(ends[1]));
				}
			}
			catch (NumberFormatException ex) {
				// told below
			}
			throw new EngineException("firewall: '" + text + "' is not a port (80) or a range of ports (8000-8100)");
		}

		@Override
		public String toString() {
			return from == to ? Integer.toString(from) : from + "-" + to;
		}
	}
}
