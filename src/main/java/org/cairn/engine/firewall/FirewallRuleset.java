// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.firewall;

import java.util.List;

import org.cairn.engine.firewall.FirewallRule.Protocol;
import org.cairn.engine.network.Prefix;

/**
 * The nftables text of Cairn's firewall, in the node's {@code inet cairn} table. Traffic to a VE (forwarded from
 * elsewhere, or sent by the node itself) leaves through the node's end of the VE's link, so one lookup by the
 * outgoing interface ({@code oifname vmap @inbound}) sends it to that VE's chain. The admin's node-wide rules come
 * first and only drop, so no VE's rule can undo them. Each text is one {@code nft -f} transaction: a chain is
 * flushed and filled in the same transaction, and no packet sees it half made.
 */
public final class FirewallRuleset {

	private static final String TABLE = "inet cairn";

	/**
	 * Each text stands alone: the table, the lookup and the set of VEs the admin exempted from the node-wide rules
	 * are made where missing (a node whose rules were flushed).
	 */
	private static final String TABLE_AND_MAP = "add table " + TABLE + "\nadd map " + TABLE
			+ " inbound { type ifname : verdict ; }\nadd set " + TABLE + " exempt { type ifname ; }\n";

	private FirewallRuleset() {
	}

	/** The base chains and the admin's rules: idempotent, leaving every VE's chain as it is. */
	public static String base(List<NodeRule> nodeRules) {
		StringBuilder nft = new StringBuilder(TABLE_AND_MAP);
		chain(nft, "node-rules");
		// the VEs an admin exempted (a customer trusted to send mail, say) pass the node-wide rules
		nft.append("add rule ").append(TABLE).append(" node-rules iifname @exempt return\n");
		nft.append("add rule ").append(TABLE).append(" node-rules oifname @exempt return\n");
		for (NodeRule rule : nodeRules) {
			nft.append("add rule ").append(TABLE).append(" node-rules ")
				.append(rule.direction() == NodeRule.Direction.IN ? "oifname \"cairn*\" " : "iifname \"cairn*\" ")
				.append(match(rule.protocol(), rule.ports(), rule.peer(), rule.direction() == NodeRule.Direction.IN))
				.append("drop\n");
		}
		// a chain per hook, named after it: what the node forwards, and what it sends itself
		for (String hook : List.of("forward", "output")) {
			nft.append("add chain ").append(TABLE).append(' ').append(hook).append(" { type filter hook ").append(hook)
				.append(" priority filter; policy accept; }\n");
			chain(nft, hook);
			rule(nft, hook, "jump node-rules");
			rule(nft, hook, "oifname vmap @inbound");
		}
		return nft.toString();
	}

	/** A VE's chain, replaced whole, its entry in the lookup, and whether the node-wide rules apply to it. */
	public static String forVe(String link, Firewall firewall, boolean exemptFromNodeRules) {
		String chain = chainOf(link);
		StringBuilder nft = new StringBuilder(TABLE_AND_MAP);
		chain(nft, chain);
		// the node must always find the VE's end of the link, or IPv6 stops
		rule(nft, chain, "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept");
		if (firewall.established()) {
			rule(nft, chain, "ct state established,related accept");
		}
		if (firewall.icmp()) {
			rule(nft, chain, "meta l4proto { icmp, ipv6-icmp } accept");
		}
		for (FirewallRule rule : firewall.rules()) {
			rule(nft, chain, match(rule.protocol(), rule.ports(), rule.source(), true)
					+ (rule.action() == FirewallRule.Action.ALLOW ? "accept" : "drop"));
		}
		if (firewall.policy() == FirewallRule.Action.DROP) {
			rule(nft, chain, "drop");
		}
		nft.append("add element ").append(TABLE).append(" inbound { \"").append(link).append("\" : jump ")
			.append(chain).append(" }\n");
		nft.append(exempt(link, exemptFromNodeRules));
		return nft.toString();
	}

	/** Puts the VE's link in the exempt set, or takes it out (added first, so that the delete finds it). */
	public static String exempt(String link, boolean exempt) {
		String add = "add element " + TABLE + " exempt { \"" + link + "\" }\n";
		return exempt ? add : add + "delete element " + TABLE + " exempt { \"" + link + "\" }\n";
	}

	/** Removes a VE's chain and entry, whether or not they are there. */
	public static String removeVe(String link) {
		String chain = chainOf(link);
		// made first, so that the deletes find them: one transaction either way
		return TABLE_AND_MAP + exempt(link, false) + "add chain " + TABLE + " " + chain + "\n"
				+ "add element " + TABLE + " inbound { \"" + link + "\" : jump " + chain + " }\n"
				+ "delete element " + TABLE + " inbound { \"" + link + "\" }\n"
				+ "flush chain " + TABLE + " " + chain + "\n"
				+ "delete chain " + TABLE + " " + chain + "\n";
	}

	static String chainOf(String link) {
		return "ve-" + link;
	}

	private static void chain(StringBuilder nft, String chain) {
		nft.append("add chain ").append(TABLE).append(' ').append(chain).append('\n');
		nft.append("flush chain ").append(TABLE).append(' ').append(chain).append('\n');
	}

	private static void rule(StringBuilder nft, String chain, String rule) {
		nft.append("add rule ").append(TABLE).append(' ').append(chain).append(' ').append(rule).append('\n');
	}

	/** What a rule matches, ending in a space: the peer's prefix (source inbound, destination out), protocol, ports. */
	private static String match(Protocol protocol, FirewallRule.PortRange ports, Prefix peer, boolean inbound) {
		StringBuilder match = new StringBuilder();
		if (peer != null) {
			match.append(peer.isIpv4() ? "ip " : "ip6 ").append(inbound ? "saddr " : "daddr ").append(peer).append(' ');
		}
		switch (protocol) {
			case TCP, UDP -> {
				String name = protocol == Protocol.TCP ? "tcp" : "udp";
				match.append(ports != null ? name + " dport " + ports : "meta l4proto " + name).append(' ');
			}
			case ICMP -> match.append(peer == null ? "meta l4proto { icmp, ipv6-icmp } "
					: peer.isIpv4() ? "meta l4proto icmp " : "meta l4proto ipv6-icmp ");
			case ANY -> {
			}
		}
		return match.toString();
	}
}
