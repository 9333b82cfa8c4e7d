// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import picocli.CommandLine.Option;

/** A VE's addresses, name servers and egress cap, as given to {@code ve create}. */
class NetworkOptions {

	@Option(names = "--ip", paramLabel = "ADDR", description = "An address of the VE, IPv4 or IPv6 (repeatable).")
	List<String> addresses = new ArrayList<>();

	@Option(names = "--prefix", paramLabel = "PREFIX",
			description = "An IPv6 prefix routed to the VE whole, e.g. 2001:db8:1:2::/64 (repeatable).")
	List<String> prefixes = new ArrayList<>();

	@Option(names = "--nameserver", paramLabel = "ADDR", description = "A name server for /etc/resolv.conf (repeatable).")
	List<String> nameservers = new ArrayList<>();

	@Option(names = "--bandwidth", paramLabel = "RATE",
			description = "Cap on what the VE sends, bits per second, e.g. 100M (0: none).")
	String bandwidth;

	VeNetwork network() {
		return new VeNetwork(parse("ip", addresses), parse("nameserver", nameservers),
				bandwidth == null ? 0 : VeNetwork.parseRate("bandwidth", bandwidth),
				prefixes.stream().map(text -> Prefix.parse("prefix", text)).toList());
	}

	static List<InetAddress> parse(String option, List<String> texts) {
		return texts.stream().map(text -> VeNetwork.parseAddress(option, text)).toList();
	}

	/** Changes to a VE's network, as given to {@code ve set}; null when no option asks for one. */
	static class Changes {

		@Option(names = "--ip-add", paramLabel = "ADDR", description = "Give the VE this address (repeatable).")
		List<String> add = new ArrayList<>();

		@Option(names = "--ip-del", paramLabel = "ADDR", description = "Take this address from the VE (repeatable).")
		List<String> remove = new ArrayList<>();

		@Option(names = "--prefix-add", paramLabel = "PREFIX",
				description = "Route this IPv6 prefix to the VE, whole (repeatable).")
		List<String> addPrefix = new ArrayList<>();

		@Option(names = "--prefix-del", paramLabel = "PREFIX",
				description = "Stop routing this prefix to the VE, and take its addresses of it (repeatable).")
		List<String> removePrefix = new ArrayList<>();

		@Option(names = "--bandwidth", paramLabel = "RATE",
				description = "Cap on what the VE sends, bits per second, e.g. 100M (0: none).")
		String bandwidth;

		boolean any() {
			return !add.isEmpty() || !remove.isEmpty() || !addPrefix.isEmpty() || !removePrefix.isEmpty()
					|| bandwidth != null;
		}

		VeNetwork over(VeNetwork current) {
			VeNetwork changed = current;
			for (InetAddress address : parse("ip-del", remove)) {
				changed = changed.withoutAddress(address);
			}
			for (String text : removePrefix) {
				changed = changed.withoutPrefix(Prefix.parse("prefix-del", text));
			}
			for (String text : addPrefix) {
				changed = changed.withPrefix(Prefix.parse("prefix-add", text));
			}
			for (InetAddress address : parse("ip-add", add)) {
				changed = changed.withAddress(address);
			}
			return bandwidth == null ? changed : changed.withEgress(VeNetwork.parseRate("bandwidth", bandwidth));
		}
	}
}
