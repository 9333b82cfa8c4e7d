// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Whether a name resolves to an address, asked of the node's resolver (its /etc/resolv.conf) or of
 * {@code cairn.dns.resolver} ({@code ADDRESS:PORT}) where set: a PTR must name a host that points back.
 */
final class ForwardCheck {

	private final String resolver;

	ForwardCheck(String resolver) {
		this.resolver = resolver == null ? "" : resolver.strip();
	}

	/** The name's addresses of the address's family; empty when it has none (or does not exist). */
	List<InetAddress> addresses(String host, InetAddress of) {
		try {
			Lookup lookup = new Lookup(Name.fromString(host.endsWith(".") ? host : host + "."),
					of instanceof Inet4Address ? Type.A : Type.AAAA);
			lookup.setResolver(resolver());
			lookup.setCache(null);
			Record[] records = lookup.run();
			List<InetAddress> found = new ArrayList<>();
			if (records != null) {
				for (Record record : records) {
					if (record instanceof ARecord a) {
						found.add(a.getAddress());
					}
					else if (record instanceof AAAARecord aaaa) {
						found.add(aaaa.getAddress());
					}
				}
			}
			return found;
		}
		catch (TextParseException ex) {
			return List.of();
		}
	}

	private Resolver resolver() {
		try {
			Resolver chosen;
			if (resolver.isEmpty()) {
				chosen = new ExtendedResolver();
			}
			else {
				int colon = resolver.lastIndexOf(':');
				String host = resolver.substring(0, colon).replace("[", "").replace("]", "");
				chosen = new SimpleResolver(new InetSocketAddress(InetAddress.ofLiteral(host),
						Integer.parseInt(resolver.substring(colon + 1))));
			}
			chosen.setTimeout(Duration.ofSeconds(3));
			return chosen;
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("cairn.dns.resolver is ADDRESS:PORT, not " + resolver, ex);
		}
	}
}
