// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.List;

import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An IPv6 prefix routed to a VE whole: it serves on any address of it, listed or not, binds to one it never
 * listed, sends from any of it and from nothing outside it; prefixes come and go live and belong to one VE.
 * In namespaces of the test's own, on documentation ranges.
 */
class PrefixTests extends NodeNetworkTest {

	private static final String A6 = "2001:db8::40";

	private static final String B4 = "198.51.100.41";

	private static final String B6 = "2001:db8::41";

	private static final Prefix A_PREFIX = Prefix.parse("prefix", "2001:db8:1:2::/64");

	private static VeNetwork network(List<String> addresses, List<Prefix> prefixes) {
		return new VeNetwork(addresses.stream().map(a -> VeNetwork.parseAddress("ip", a)).toList(), List.of(), 0, prefixes);
	}

	private String fetch(String from, String host, int port) {
		return test.sh(from, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + host + " " + port + " 2>/dev/null | tail -1")
			.output().strip();
	}

	@Test
	void aVeServesOnEveryAddressOfItsPrefixAndSendsFromNothingOutsideIt() throws Exception {
		engine.create(new VeSpec("a", "busybox", null, null, null, ResourceLimits.NONE, network(List.of(A6), List.of(A_PREFIX))));
		engine.create(new VeSpec("b", "busybox", null, null, null, ResourceLimits.NONE, network(List.of(B4, B6), List.of())));
		engine.start("a");
		engine.start("b");
		// on every address, and on one address of the prefix that is on no interface
		TestEngine.Result served = test.sh("a", "mkdir -p /www && echo page-of-a > /www/index.html && httpd -p 8080 -h /www"
				+ " && httpd -p '[2001:db8:1:2::7]:8081' -h /www");
		assertThat(served.exitCode()).as(served.output()).isZero();
		assertThat(fetch("b", "2001:db8:1:2::5", 8080)).isEqualTo("page-of-a");
		assertThat(fetch("b", "2001:db8:1:2:ffff:ffff:ffff:fffe", 8080)).isEqualTo("page-of-a");
		assertThat(fetch("b", "2001:db8:1:2::7", 8081)).as("bound to an address it never listed").isEqualTo("page-of-a");
		assertThat(fetch("b", "2001:db8:1:3::5", 8080)).as("not its prefix").isEmpty();
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://[2001:db8:1:2::abcd]:8080/")).isEqualTo("page-of-a\n");
		assertThat(test.sh("a", "ip -6 route show table local").output()).contains("local 2001:db8:1:2::/64 dev lo");
		assertThat(node.run("ip", "-6", "route")).contains("2001:db8:1:2::/64 via fe80::2 dev " + test.linkOf("a"));

		// sending: any address of the prefix is a's own, nothing outside it
		test.installHelper("a", "netprobe.c", "netprobe");
		test.installHelper("b", "netprobe.c", "netprobe");
		Process listener = engine.exec("b", List.of("netprobe", "listen", "9999", "4")).redirectErrorStream(true).start();
		java.io.BufferedReader heard = listener.inputReader();
		assertThat(heard.readLine()).isEqualTo("listening");
		for (String[] packet : List.of(new String[] { "2001:db8:1:2::9", "own-prefix" },
				new String[] { "2001:db8:1:3::1", "spoofed-next-prefix" }, new String[] { B6, "spoofed-neighbour" },
				new String[] { "2001:db8:1::1", "spoofed-shorter" })) {
			TestEngine.Result sent = test.sh("a", "netprobe send " + packet[0] + " " + B6 + " 9999 " + packet[1]);
			assertThat(sent.exitCode()).as(sent.output()).isZero();
		}
		listener.waitFor();
		assertThat(String.join("\n", heard.lines().toList())).contains("got own-prefix").doesNotContain("spoofed");

		// one VE's: no other gets an overlapping prefix or an address of it
		assertThatThrownBy(() -> engine.create(new VeSpec("c", "busybox", null, null, null, ResourceLimits.NONE,
				network(List.of(), List.of(Prefix.parse("prefix", "2001:db8:1:2:8000::/65"))))))
			.hasMessageContaining("prefix: 2001:db8:1:2:8000::/65 overlaps what the VE a has");
		assertThatThrownBy(() -> engine.create(new VeSpec("c", "busybox", null, null, null, ResourceLimits.NONE,
				network(List.of("2001:db8:1:2::99"), List.of())))).hasMessageContaining("belongs to the VE a");
		assertThatThrownBy(() -> network(List.of(), List.of(Prefix.parse("prefix", "198.51.100.0/24"))))
			.hasMessageContaining("not an IPv6 prefix");

		// live: another prefix comes and goes; an address of it listed on eth0 goes with it
		VeNetwork before = engine.network("a");
		Prefix second = Prefix.parse("prefix", "2001:db8:1:3::/64");
		engine.setNetwork("a", before.withPrefix(second).withAddress(VeNetwork.parseAddress("ip", "2001:db8:1:3::1")));
		assertThat(fetch("b", "2001:db8:1:3::5", 8080)).isEqualTo("page-of-a");
		assertThat(test.sh("a", "ip -6 addr show dev eth0").output()).contains("2001:db8:1:3::1/128");
		engine.setNetwork("a", engine.network("a").withoutPrefix(second));
		assertThat(engine.network("a").addresses()).extracting(VeNetwork::format).containsExactly(A6);
		assertThat(fetch("b", "2001:db8:1:3::5", 8080)).isEmpty();
		assertThat(fetch("b", "2001:db8:1:2::5", 8080)).isEqualTo("page-of-a");

		// a reboot inside builds it again; a stop takes every route with it
		long first = engine.status("a").initPid().getAsLong();
		test.sh("a", "reboot");
		TestEngine.waitFor(() -> engine.status("a").initPid().orElse(first) != first, java.time.Duration.ofSeconds(20),
				"the VE restarts");
		test.sh("a", "httpd -p 8080 -h /www");
		assertThat(fetch("b", "2001:db8:1:2::5", 8080)).isEqualTo("page-of-a");
		engine.stop("a", java.time.Duration.ofSeconds(10));
		assertThat(node.run("ip", "-6", "route")).doesNotContain("2001:db8:1:2::");
	}
}
