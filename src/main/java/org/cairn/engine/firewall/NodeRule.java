// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.firewall;

import java.util.Locale;

import org.cairn.engine.EngineException;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.firewall.FirewallRule.PortRange;
import org.cairn.engine.firewall.FirewallRule.Protocol;

/**
 * A node-wide rule an admin sets for every VE, which no VE's own firewall can override: it drops, before any
 * VE's rule is read. {@code out drop tcp 25} (no mail sent straight from VEs), {@code in drop tcp 22 from
 * 198.51.100.0/24}, {@code out drop any to 192.0.2.0/24}.
 */
public record NodeRule(Direction direction, Protocol protocol, PortRange ports, Prefix peer) {

	public enum Direction {
		IN, OUT
	}

	public NodeRule {
		if (direction == null || protocol == null) {
			throw new EngineException("firewall: a node rule needs a direction and a protocol");
		}
		if (ports != null && protocol != Protocol.TCP && protocol != Protocol.UDP) {
			throw new EngineException("firewall: ports go with tcp or udp only");
		}
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(direction.name().toLowerCase(Locale.ROOT)).append(" drop ")
			.append(protocol.name().toLowerCase(Locale.ROOT));
		if (ports != null) {
			text.append(' ').append(ports);
		}
		if (peer != null) {
			text.append(direction == Direction.IN ? " from " : " to ").append(peer);
		}
		return text.toString();
	}

	/** {@code in|out drop tcp|udp|icmp|any [PORT[-PORT]] [from|to PREFIX]} ("from" goes with in, "to" with out). */
	public static NodeRule parse(String text) {
		String[] words = text == null ? new String[0] : text.strip().split("\\s+");
		if (words.length < 3 || !words[1].equalsIgnoreCase("drop")) {
			throw new EngineException("firewall: a node rule is 'in|out drop tcp|udp|icmp|any [PORT[-PORT]]"
					+ " [from|to PREFIX]', not '" + text + "'");
		}
		Direction direction = switch (words[0].toLowerCase(Locale.ROOT)) {
			case "in" -> Direction.IN;
			case "out" -> Direction.OUT;
			default -> throw new EngineException("firewall: a node rule starts with in or out, not '" + words[0] + "'");
		};
		// the rest reads as a VE's rule would, with the peer's word for the direction
		String peerWord = direction == Direction.IN ? "from" : "to";
		StringBuilder asRule = new StringBuilder("drop");
		for (int i = 2; i < words.length; i++) {
			if (words[i].equalsIgnoreCase("from") || words[i].equalsIgnoreCase("to")) {
				if (!words[i].equalsIgnoreCase(peerWord)) {
					throw new EngineException("firewall: an " + words[0] + " rule names its peer with '" + peerWord
							+ "', not '" + words[i] + "'");
				}
				asRule.append(" from");
				continue;
			}
			asRule.append(' ').append(words[i]);
		}
		FirewallRule rule = FirewallRule.parse(asRule.toString());
		return new NodeRule(direction, rule.protocol(), rule.ports(), rule.source());
	}
}
