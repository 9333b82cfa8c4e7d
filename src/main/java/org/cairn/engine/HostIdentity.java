// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cairn.engine.network.VeNetwork;

/**
 * A VE's /etc/hosts as the engine writes it: the host name stands for the VE's first addresses, else for
 * 127.0.1.1 as Debian does.
 */
final class HostIdentity {

	private HostIdentity() {
	}

	static String hosts(String hostname, VeNetwork network) {
		StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
		List<InetAddress> own = new ArrayList<>();
		network.ipv4().stream().findFirst().ifPresent(own::add);
		network.ipv6().stream().findFirst().ifPresent(own::add);
		if (own.isEmpty()) {
			hosts.append("127.0.1.1 ").append(names(hostname)).append('\n');
		}
		for (InetAddress address : own) {
			hosts.append(VeNetwork.format(address)).append(' ').append(names(hostname)).append('\n');
		}
		return hosts.toString();
	}

	/**
	 * The VE's hosts file with its old names replaced by the new ones; lines its owner wrote keep their
	 * addresses, comments and other names.
	 */
	static String renamed(String hosts, String oldName, String newName) {
		List<String> oldNames = List.of(names(oldName).split(" "));
		StringBuilder out = new StringBuilder();
		for (String line : hosts.lines().toList()) {
			String[] fields = line.strip().split("\\s+");
			if (line.strip().startsWith("#") || fields.length < 2
					|| Arrays.stream(fields).skip(1).noneMatch(oldNames::contains)) {
				out.append(line).append('\n');
				continue;
			}
			List<String> kept = Arrays.stream(fields).skip(1).filter(f -> !oldNames.contains(f)).toList();
			out.append(fields[0]).append(' ').append(names(newName));
			kept.forEach(name -> out.append(' ').append(name));
			out.append('\n');
		}
		return out.toString();
	}

	private static String names(String hostname) {
		String shortName = hostname.split("\\.")[0];
		return hostname + (shortName.equals(hostname) ? "" : " " + shortName);
	}
}
