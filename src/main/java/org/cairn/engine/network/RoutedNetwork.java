// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;

/**
 * VE networks, routed ("venet-like"): each VE has a veth pair, {@code eth0} inside and {@code cairnN} on the
 * node; the node routes each of the VE's addresses (/32, /128) to that link and the VE's default routes point
 * at the node (169.254.0.1 and fe80::1 on every link). No bridge: a VE's link carries only what is routed to
 * it, so a VE in promiscuous mode sees its own traffic and nothing else, and no VE can answer ARP or neighbour
 * discovery for another. The VE has no CAP_NET_ADMIN, so it cannot change any of it; a packet from a VE whose
 * source address the node does not route back to that VE's link is dropped ({@link NodeSetup}'s fib check, one
 * rule for all VEs).
 * <p>
 * Everything of a VE's network belongs to its link: when the VE's network namespace ends (stop, crash,
 * reboot inside), the kernel removes the pair and with it the routes and the egress cap. The supervisor
 * runs the script from {@link #startScript} at each start, so a reboot inside gets the network back without
 * the engine.
 */
public final class RoutedNetwork {

	public static final String GATEWAY_V4 = "169.254.0.1";

	public static final String GATEWAY_V6 = "fe80::1";

	/** The VE's own link-local address: its link has no other host, so every VE can use the same one. */
	private static final String VE_LINK_LOCAL = "fe80::2";

	private final NodeNetwork node;

	public RoutedNetwork(NodeNetwork node) {
		this.node = node;
	}

	/** The node's end of a VE's link, from the VE's id range: unique on the node, at most 15 characters. */
	public static String linkName(long uidBase, long idsPerVe) {
		return "cairn" + uidBase / idsPerVe;
	}

	/** The script a VE's supervisor runs before the VE's first process goes on, with that process's pid as $1. */
	public String startScript(String veName, String link, VeNetwork network, Path firewallLoaded,
			Path firewallFailed) {
		StringBuilder script = new StringBuilder();
		script.append("#!/bin/sh\n# The network of the VE ").append(veName)
			.append(", made by Cairn's engine; run by its supervisor at each start of the VE.\nset -e\n");
		// its firewall chain before its link: at a restore the engine loads it while CRIU begins
		script.append("i=0\nwhile [ ! -e '").append(firewallLoaded).append("' ]; do\n  if [ -e '").append(firewallFailed)
			.append("' ] || [ $i -ge 2000 ]; then echo \"the VE's firewall chain is not loaded\"; exit 1; fi\n")
			.append("  i=$((i+1)); sleep 0.005\ndone\n");
		script.append("node=\"").append(nodePrefix()).append("\"\n");
		script.append("ve=\"nsenter --net=/proc/$1/ns/net\"\n");
		// a link left by a VE whose namespace the kernel has not yet cleaned up (a reboot inside) goes first
		script.append("$node ip link del ").append(link).append(" 2>/dev/null || true\n");
		// the VE's first process waits for this script: nothing reaches the VE before it goes on
		script.append("$node ip -batch - <<EOF\n");
		script.append("link add name ").append(link).append(" type veth peer name eth0 netns $1\n");
		script.append("link set ").append(link).append(" addrgenmode none\n");
		script.append("addr add ").append(GATEWAY_V4).append("/32 dev ").append(link).append('\n');
		script.append("addr add ").append(GATEWAY_V6).append("/64 dev ").append(link).append(" nodad\n");
		script.append("link set ").append(link).append(" up\n");
		script.append("EOF\n");
		script.append("$ve ip -batch - <<'EOF'\n");
		script.append("link set eth0 addrgenmode none\n");
		script.append("addr add ").append(VE_LINK_LOCAL).append("/64 dev eth0 nodad\n");
		for (InetAddress address : network.addresses()) {
			script.append("addr add ").append(prefix(address)).append(" dev eth0 nodad\n");
		}
		script.append("link set eth0 up\n");
		script.append("route add ").append(GATEWAY_V4).append(" dev eth0 scope link\n");
		script.append("route add default via ").append(GATEWAY_V4).append(" dev eth0\n");
		script.append("route add default via ").append(GATEWAY_V6).append(" dev eth0\n");
		if (!network.prefixes().isEmpty()) {
			script.append("link set lo up\n");
		}
		for (Prefix prefix : network.prefixes()) {
			script.append("route add ").append(localRoute(prefix)).append('\n');
		}
		script.append("EOF\n");
		if (!network.prefixes().isEmpty()) {
			script.append("$ve sh -c 'echo 1 > /proc/sys/net/ipv6/ip_nonlocal_bind'\n");
		}
		// routed to the VE only once its side is up: a packet sent earlier would leave an unanswered ARP or
		// neighbour request, and the node asks again only a second later
		if (network.isConnected()) {
			// IPv4 addresses on a subnet the node shares with its neighbours, found before the VE's routes exist
			for (InetAddress address : network.addresses()) {
				if (address instanceof Inet4Address) {
					script.append("shared_").append(shellName(address)).append("=$(").append(sharedLink(address))
						.append(")\n");
				}
			}
			script.append("$node ip -batch - <<EOF\n");
			for (InetAddress address : network.addresses()) {
				script.append("route add ").append(prefix(address)).append(" dev ").append(link).append('\n');
			}
			for (Prefix prefix : network.prefixes()) {
				script.append("route add ").append(prefixRoute(prefix, link)).append('\n');
			}
			script.append("EOF\n");
			for (InetAddress address : network.addresses()) {
				if (address instanceof Inet4Address) {
					script.append(announce(address, "$shared_" + shellName(address)));
				}
			}
		}
		if (network.egressBitsPerSecond() > 0) {
			script.append("$ve ").append(String.join(" ", egressCap(network.egressBitsPerSecond(), "add"))).append('\n');
		}
		return script.toString();
	}

	/**
	 * The node's link on whose subnet an IPv4 address lies (a hoster's VLAN that the nodes and the VEs' addresses
	 * share), printed by a shell command; nothing when the address is routed to the node from elsewhere.
	 */
	private String sharedLink(InetAddress address) {
		return "$node ip -4 -o route get " + address.getHostAddress()
				+ " 2>/dev/null | sed -n '/ via /!s/.* dev \\([^ ]*\\).*/\\1/p' | grep -v '^lo$\\|^cairn' || true";
	}

	/**
	 * What makes an address on a shared subnet reach the VE wherever it runs, as OpenVZ's NEIGHBOUR_DEVS: the node
	 * answers ARP for it on that link (a proxy entry, answered at once), and tells its neighbours with a gratuitous
	 * ARP (the {@code arping} package), so that after a move to another node the address is followed within
	 * milliseconds, not when the neighbours' caches expire. A proxy entry left behind is harmless: Linux answers
	 * for it only while the address is routed to another link of the node.
	 */
	private String announce(InetAddress address, String link) {
		String a = address.getHostAddress();
		return "if [ -n \"" + link + "\" ]; then\n"
				+ "  $node ip neigh replace proxy " + a + " dev " + link + "\n"
				+ "  $node sh -c \"echo 0 > /proc/sys/net/ipv4/neigh/" + link + "/proxy_delay\" || true\n"
				+ "  if command -v arping >/dev/null; then ($node arping -q -U -S " + a + " -i " + link + " -c 1 " + a
				+ " </dev/null >/dev/null 2>&1 &) ; fi\n"
				+ "fi\n";
	}

	private static String shellName(InetAddress address) {
		return address.getHostAddress().replaceAll("[^0-9A-Za-z]", "_");
	}

	/** Takes back the proxy entries of {@link #announce} for the VE's addresses (a stopped or moved VE). */
	public void forgetNeighbours(VeNetwork network) {
		forgetNeighbours(network.addresses());
	}

	private void forgetNeighbours(List<InetAddress> addresses) {
		if (addresses.stream().noneMatch(a -> a instanceof Inet4Address)) {
			return;
		}
		List<String> show = new ArrayList<>(nodeCommand());
		show.addAll(List.of("ip", "-4", "neigh", "show", "proxy"));
		String entries;
		try {
			Process process = new ProcessBuilder(show).redirectErrorStream(true).start();
			entries = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		for (String line : entries.lines().toList()) {
			String[] fields = line.strip().split("\\s+");
			if (fields.length >= 3 && fields[1].equals("dev") && addresses.stream()
				.anyMatch(a -> a instanceof Inet4Address && a.getHostAddress().equals(fields[0]))) {
				runIgnoringFailure(nodeCommand(), List.of("ip", "neigh", "del", "proxy", fields[0], "dev", fields[2]));
			}
		}
	}

	/** Builds the link of a running VE that had none (its first address). */
	public void runStartScript(Path script, long pid) {
		run(List.of(), List.of("/bin/sh", script.toString(), Long.toString(pid)));
	}

	/** Removes the node's end of a stopped VE's link (and so the pair and its routes) if it is still there. */
	public void removeLink(String link) {
		runIgnoringFailure(nodeCommand(), List.of("ip", "link", "del", link));
	}

	/** Gives a running VE one more address, at once. */
	public void addAddress(long pid, String link, InetAddress address) {
		run(vePrefix(pid), List.of("ip", "addr", "add", prefix(address), "dev", "eth0", "nodad"));
		if (address instanceof Inet4Address) {
			run(List.of(), List.of("/bin/sh", "-c", "node=\"" + nodePrefix() + "\"\nshared=$(" + sharedLink(address)
					+ ")\n$node ip route replace " + prefix(address) + " dev " + link + "\n"
					+ announce(address, "$shared")));
			return;
		}
		run(nodeCommand(), List.of("ip", "route", "replace", prefix(address), "dev", link));
	}

	/** Takes an address from a running VE, at once: the node stops routing it first. */
	public void removeAddress(long pid, String link, InetAddress address) {
		run(nodeCommand(), List.of("ip", "route", "del", prefix(address), "dev", link));
		forgetNeighbours(List.of(address));
		run(vePrefix(pid), List.of("ip", "addr", "del", prefix(address), "dev", "eth0"));
	}

	/** Routes a whole prefix to a running VE, at once: every address of it is the VE's, listed or not. */
	public void addPrefix(long pid, String link, Prefix prefix) {
		run(vePrefix(pid), List.of("ip", "link", "set", "lo", "up"));
		run(vePrefix(pid), List.of("ip", "route", "replace", "local", prefix.toString(), "dev", "lo"));
		run(vePrefix(pid), NONLOCAL_BIND);
		run(nodeCommand(), List.of("ip", "route", "replace", prefix.toString(), "via", VE_LINK_LOCAL, "dev", link));
	}

	/** Takes a prefix from a running VE: the node stops routing it first. */
	public void removePrefix(long pid, String link, Prefix prefix) {
		run(nodeCommand(), List.of("ip", "route", "del", prefix.toString(), "via", VE_LINK_LOCAL, "dev", link));
		run(vePrefix(pid), List.of("ip", "route", "del", "local", prefix.toString(), "dev", "lo"));
	}

	/**
	 * Inside the VE: every address of its prefixes is local (a {@code local} route, as "AnyIP"), and software may
	 * bind to one that is not on an interface (IPv6 checks assigned addresses at bind time).
	 */
	private static String localRoute(Prefix prefix) {
		return "local " + prefix + " dev lo";
	}

	private static final List<String> NONLOCAL_BIND = List.of("sh", "-c",
			"echo 1 > /proc/sys/net/ipv6/ip_nonlocal_bind");

	/**
	 * On the node: the prefix goes to the VE's link-local address, the one neighbour the node must find there (an
	 * on-link route would have the node ask for each address of the prefix, which the VE does not answer).
	 */
	private static String prefixRoute(Prefix prefix, String link) {
		return prefix + " via " + VE_LINK_LOCAL + " dev " + link;
	}

	/** Sets or lifts the cap on what a running VE sends. */
	public void setEgress(long pid, long bitsPerSecond) {
		if (bitsPerSecond > 0) {
			run(vePrefix(pid), egressCap(bitsPerSecond, "replace"));
		}
		else {
			// no cap: the default qdisc again; "no such qdisc" when there was none is fine
			runIgnoringFailure(vePrefix(pid), List.of("tc", "qdisc", "del", "dev", "eth0", "root"));
		}
	}

	/** Whether the running VE whose first process is {@code pid} has its link. */
	public static boolean hasLink(long pid) {
		try {
			return Files.readAllLines(Path.of("/proc", Long.toString(pid), "net/dev")).stream()
				.anyMatch(line -> line.strip().startsWith("eth0:"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** What the VE sent and received on its link, from its own view (/proc/PID/net/dev of its namespace). */
	public static VeTraffic traffic(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net/dev"))) {
				String trimmed = line.strip();
				if (trimmed.startsWith("eth0:")) {
					String[] f = trimmed.substring(5).strip().split("\\s+");
					return new VeTraffic(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[8]),
							Long.parseLong(f[9]));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the VE ended meanwhile
		}
		return VeTraffic.NONE;
	}

	/** tbf on the VE's eth0: what it sends waits in its own queue, never the node's. */
	private static List<String> egressCap(long bitsPerSecond, String verb) {
		long burstBytes = Math.max(16 * 1024, bitsPerSecond / 8 / 100);
		return List.of("tc", "qdisc", verb, "dev", "eth0", "root", "tbf", "rate", bitsPerSecond + "bit", "burst",
				Long.toString(burstBytes), "latency", "50ms");
	}

	private static String prefix(InetAddress address) {
		return VeNetwork.format(address) + (address instanceof Inet4Address ? "/32" : "/128");
	}

	private String nodePrefix() {
		return node.namespace() == null ? "" : "nsenter --net=" + node.namespace();
	}

	private List<String> nodeCommand() {
		return node.namespace() == null ? List.of() : List.of("nsenter", "--net=" + node.namespace());
	}

	private static List<String> vePrefix(long pid) {
		return List.of("nsenter", "--net=/proc/" + pid + "/ns/net");
	}

	private static void run(List<String> prefix, List<String> command) {
		String out = execute(prefix, command);
		if (out != null) {
			throw new EngineException("network: " + String.join(" ", command) + " failed: " + out);
		}
	}

	private static void runIgnoringFailure(List<String> prefix, List<String> command) {
		execute(prefix, command);
	}

	/** Runs a command; null when it succeeded, else its output. */
	private static String execute(List<String> prefix, List<String> command) {
		List<String> all = new ArrayList<>(prefix);
		all.addAll(command);
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(all).redirectErrorStream(true),
				Duration.ofSeconds(30));
		return result.exitCode() == 0 ? null : result.text();
	}
}
