// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRuleset;
import org.cairn.engine.firewall.NodeRule;

/**
 * What the node needs once for all VE networks, applied before a VE with addresses starts: forwarding on, the
 * anti-spoofing table ({@code inet cairn}) with the base of the VEs' firewalls and the admin's node-wide rules, and, when the admin asks for it, outbound NAT ({@code ip cairn-nat}):
 * VEs with private addresses (10/8, 172.16/12, 192.168/16, 100.64/10) leave through one interface with its
 * address. NAT is a node setting, off by default, kept in {@code ROOT/network/nat}.
 * <p>
 * Forwarding on a host whose IPv6 uplink is autoconfigured needs {@code accept_ra=2} on that uplink: with
 * forwarding on, Linux ignores router advertisements otherwise.
 */
public final class NodeSetup {

	private static final Pattern INTERFACE = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@-]{0,14}$");

	/**
	 * Made or brought up to date in place (never deleted and made again), so that the VEs' firewall chains in the
	 * same table stay: each chain is flushed and filled in one transaction.
	 */
	private static final String ANTI_SPOOFING = """
			add table inet cairn
			add chain inet cairn antispoof { type filter hook prerouting priority raw; policy accept; }
			flush chain inet cairn antispoof
			# a VE sends only from addresses the node routes back to its own link
			add rule inet cairn antispoof iifname "cairn*" fib saddr . iif oif missing drop
			add rule inet cairn antispoof iifname "cairn*" fib saddr type local drop
			add chain inet cairn node { type filter hook input priority filter; policy accept; }
			flush chain inet cairn node
			# the node offers VEs no service of its own (a database or an agent listening on every address would
			# answer at 169.254.0.1): replies to what it asked, neighbour discovery and ping only
			add rule inet cairn node iifname "cairn*" ct state established,related accept
			add rule inet cairn node iifname "cairn*" icmp type echo-request accept
			add rule inet cairn node iifname "cairn*" icmpv6 type { echo-request, nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept
			add rule inet cairn node iifname "cairn*" drop
			""";

	private static final String NAT = """
			table ip cairn-nat
			delete table ip cairn-nat
			table ip cairn-nat {
				chain postrouting {
					type nat hook postrouting priority srcnat; policy accept;
					oifname "%s" ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 } masquerade
				}
			}
			""";

	private static final String NO_NAT = """
			table ip cairn-nat
			delete table ip cairn-nat
			""";

	private final NodeNetwork node;

	private final Path natFile;

	private final Path firewallFile;

	public NodeSetup(NodeNetwork node, Path engineRoot) {
		this.node = node;
		this.natFile = engineRoot.resolve("network/nat");
		this.firewallFile = engineRoot.resolve("network/firewall");
	}

	/** The admin's node-wide rules (see {@link NodeRule}), in order; none by default. */
	public List<NodeRule> nodeRules() {
		try {
			if (!Files.exists(firewallFile)) {
				return List.of();
			}
			return Files.readAllLines(firewallFile)
				.stream()
				.map(String::strip)
				.filter(line -> !line.isEmpty() && !line.startsWith("#"))
				.map(NodeRule::parse)
				.toList();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + firewallFile + ": " + ex.getMessage(), ex);
		}
	}

	/** Replaces the node-wide rules: at once for running VEs, and kept for the node's next start. */
	public void setNodeRules(List<NodeRule> rules) {
		if (rules.size() > Firewall.MAX_RULES) {
			throw new EngineException("firewall: at most " + Firewall.MAX_RULES + " node rules");
		}
		apply(rules, "");
		try {
			Files.createDirectories(firewallFile.getParent());
			Path next = firewallFile.resolveSibling("firewall.new");
			Files.write(next, rules.stream().map(NodeRule::toString).toList());
			Files.move(next, firewallFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot record the node's firewall in " + firewallFile + ": " + ex.getMessage(), ex);
		}
	}

	/** Loads an nftables text into the node's network in one transaction (a VE's firewall chain, say). */
	public void load(String ruleset) {
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(inNode(List.of("nft", "-f", "-")))
			.redirectErrorStream(true), Duration.ofSeconds(30), ruleset.getBytes(StandardCharsets.UTF_8));
		if (result.exitCode() != 0) {
			throw new EngineException("firewall: nftables refused the rules: " + result.text().strip());
		}
	}

	/** The interface VEs with private addresses leave through, translated; empty when NAT is off. */
	public Optional<String> outboundNat() {
		try {
			return Files.exists(natFile) ? Optional.of(Files.readString(natFile).strip()).filter(s -> !s.isEmpty())
					: Optional.empty();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + natFile + ": " + ex.getMessage(), ex);
		}
	}

	/** Turns outbound NAT on through {@code device}, or off with empty; at once and for good. */
	public void setOutboundNat(Optional<String> device) {
		device.ifPresent(name -> {
			if (!INTERFACE.matcher(name).matches()) {
				throw new EngineException("interface: '" + name + "' is not a network interface name");
			}
		});
		run(device.map(name -> NAT.formatted(name)).orElse(NO_NAT));
		try {
			Files.createDirectories(natFile.getParent());
			if (device.isPresent()) {
				Files.writeString(natFile, device.get() + "\n");
			}
			else {
				Files.deleteIfExists(natFile);
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot record the NAT setting in " + natFile + ": " + ex.getMessage(), ex);
		}
	}

	/** Forwarding, anti-spoofing and NAT as set: idempotent, one process, each table replaced atomically. */
	public void apply() {
		apply(nodeRules(), "");
	}

	/** As {@link #apply()}, with more rules (a starting VE's firewall chain) in the same transaction and process. */
	public void apply(String alsoLoad) {
		apply(nodeRules(), alsoLoad);
	}

	private void apply(List<NodeRule> rules, String alsoLoad) {
		run(ANTI_SPOOFING + FirewallRuleset.base(rules) + outboundNat().map(name -> NAT.formatted(name)).orElse("")
				+ alsoLoad);
	}

	private List<String> inNode(List<String> command) {
		List<String> all = new ArrayList<>();
		if (node.namespace() != null) {
			all.addAll(List.of("nsenter", "--net=" + node.namespace()));
		}
		all.addAll(command);
		return all;
	}

	private void run(String ruleset) {
		List<String> command = inNode(List.of("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"
				+ " && echo 1 > /proc/sys/net/ipv6/conf/all/forwarding && exec nft -f -"));
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(command).redirectErrorStream(true),
				Duration.ofSeconds(30), ruleset.getBytes(StandardCharsets.UTF_8));
		if (result.exitCode() != 0) {
			throw new EngineException("network: cannot set up the node's forwarding and nftables tables"
					+ " (install nftables): " + result.text());
		}
	}
}
