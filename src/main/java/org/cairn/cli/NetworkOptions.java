// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.network.VeNetwork;
import picocli.CommandLine.Option;

/** A VE's addresses, name servers and egress cap, as given to {@code ve create}. */
class NetworkOptions {

	@Option(names = "--ip", paramLabel = "ADDR", description = "An address of the VE, IPv4 or IPv6 (repeatable).")
	List<String> addresses = new ArrayList<>();

	@Option(names = "--nameserver", paramLabel = "ADDR", description = "A name server for /etc/resolv.conf (repeatable).")
	List<String> nameservers = new ArrayList<>();

	@Option(names = "--bandwidth", paramLabel = "RATE",
			description = "Cap on what the VE sends, bits per second, e.g. 100M (0: none).")
	String bandwidth;

	VeNetwork network() {
		return new VeNetwork(parse("ip", addresses), parse("nameserver", nameservers),
				bandwidth == null ? 0 : VeNetwork.parseRate("bandwidth", bandwidth));
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

		@Option(names = "--bandwidth", paramLabel = "RATE",
				description = "Cap on what the VE sends, bits per second, e.g. 100M (0: none).")
		String bandwidth;

		boolean any() {
			return !add.isEmpty() || !remove.isEmpty() || bandwidth != null;
		}

		VeNetwork over(VeNetwork current) {
			VeNetwork changed = current;
			for (InetAddress address : parse("ip-del", remove)) {
				changed = changed.withoutAddress(address);
			}
			for (InetAddress address : parse("ip-add", add)) {
				changed = changed.withAddress(address);
			}
			return bandwidth == null ? changed : changed.withEgress(VeNetwork.parseRate("bandwidth", bandwidth));
		}
	}
}
