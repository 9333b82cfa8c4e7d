// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cairn.engine.network.VeNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * VE networks, routed through a node namespace of the test's own: addresses, reachability over IPv4 and
 * IPv6, what a VE cannot change, anti-spoofing, counters, the egress cap, live changes, and that nothing stays.
 * All traffic stays inside the test's namespaces, on documentation ranges.
 */
class NetworkTests extends NodeNetworkTest {

	private static final String A4 = "198.51.100.10";

	private static final String A6 = "2001:db8::10";

	private static final String B4 = "198.51.100.11";

	private static final String B6 = "2001:db8::11";

	private static VeNetwork addresses(String... addresses) {
		return new VeNetwork(List.of(addresses).stream().map(a -> VeNetwork.parseAddress("ip", a)).toList(), List.of(), 0);
	}

	private void startWithWebServer(String name, VeNetwork network, String page) {
		engine.create(new VeSpec(name, "busybox", null, null, null, ResourceLimits.NONE, network));
		engine.start(name);
		TestEngine.Result served = test.sh(name, "mkdir -p /www && echo " + page + " > /www/index.html"
				+ " && head -c 2097152 /dev/zero > /www/big && httpd -p 8080 -h /www");
		assertThat(served.exitCode()).as(served.output()).isZero();
	}

	/** The page at / of a web server, fetched from inside a VE (with nc: Debian's static busybox wget crashes without NSS). */
	private String fetch(String ve, String host, int port) {
		return test.sh(ve, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + host + " " + port + " 2>&1 | tail -1")
			.output().strip();
	}

	@Test
	void twoVesReachEachOtherAndTheNodeOnTheirOwnAddresses() throws Exception {
		VeNetwork withNameServer = new VeNetwork(addresses(A4, A6).addresses(),
				List.of(VeNetwork.parseAddress("nameserver", "192.0.2.53")), 0);
		startWithWebServer("a", withNameServer, "from-a");
		startWithWebServer("b", addresses(B4, B6), "from-b");
		assertThat(fetch("a", B4, 8080)).isEqualTo("from-b");
		assertThat(fetch("a", B6, 8080)).isEqualTo("from-b");
		assertThat(fetch("b", A4, 8080)).isEqualTo("from-a");
		assertThat(fetch("b", A6, 8080)).isEqualTo("from-a");
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/")).isEqualTo("from-a\n");
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://[" + A6 + "]:8080/"))
			.isEqualTo("from-a\n");

		// the node's own services are not the VEs': one listening on every address of the node answers the node,
		// never a VE, whichever of the node's addresses it tries
		Path www = Files.createTempDirectory("cairn-node-www-");
		try {
			Files.writeString(www.resolve("index.html"), "from-node\n");
			node.background("busybox", "httpd", "-f", "-p", "8081", "-h", www.toString());
			TestEngine.waitFor(() -> node.attempt("busybox", "wget", "-q", "-O", "-", "http://" + TestNode.ADDRESS_V4
					+ ":8081/").exitCode() == 0, Duration.ofSeconds(5), "the node's web server answers");
			for (String nodeAddress : List.of(TestNode.ADDRESS_V4, TestNode.ADDRESS_V6, "169.254.0.1")) {
				assertThat(test.sh("a", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + nodeAddress
						+ " 8081 2>&1; echo rc=$?").output()).as(nodeAddress).doesNotContain("from-node");
			}
			assertThat(test.sh("a", "ping -c 1 -W 2 169.254.0.1 > /dev/null && echo pinged").output())
				.as("ping of the gateway still answers").contains("pinged");
		}
		finally {
			Trees.delete(www);
		}

		String inside = test.sh("a", "ip addr show dev eth0; ip route; cat /etc/hosts /etc/resolv.conf /etc/hostname").output();
		assertThat(inside).contains("inet " + A4 + "/32").contains("inet6 " + A6 + "/128")
			.contains("default via 169.254.0.1 dev eth0").contains(A4 + " a\n").contains(A6 + " a\n")
			.contains("nameserver 192.0.2.53");
		VeUsage usage = engine.usage("a");
		assertThat(usage.network().rxPackets()).isPositive();
		assertThat(usage.network().txBytes()).isPositive();
	}

	@Test
	void aVeCannotChangeItsNetworkSpoofOrSeeOthersTraffic() throws Exception {
		startWithWebServer("a", addresses(A4, A6), "from-a");
		startWithWebServer("b", addresses(B4, B6), "from-b");
		for (String change : List.of("ip addr add 198.51.100.99/32 dev eth0", "ip addr del " + A4 + "/32 dev eth0",
				"ip link set eth0 down", "ip link set eth0 address 02:00:00:00:00:99", "ip link set eth0 promisc on",
				"ip route del default", "ip route add 203.0.113.0/24 dev eth0", "ip -6 addr add 2001:db8::99/128 dev eth0",
				"ip link add name x0 type dummy", "echo 0 > /proc/sys/net/ipv4/ip_forward")) {
			TestEngine.Result result = test.sh("a", change + " 2>&1");
			assertThat(result.exitCode()).as(change + ": " + result.output()).isNotZero();
		}
		assertThat(test.sh("a", "ip addr show dev eth0").output()).contains("inet " + A4 + "/32")
			.doesNotContain("198.51.100.99").doesNotContain("PROMISC");
		assertThat(fetch("b", A4, 8080)).as("a's network is as it was").isEqualTo("from-a");

		test.installHelper("a", "netprobe.c", "netprobe");
		test.installHelper("b", "netprobe.c", "netprobe");
		// the listener is b, beyond the node (the node itself takes nothing from VEs): what a sends is forwarded
		Process listener = engine.exec("b", List.of("netprobe", "listen", "9999", "6")).redirectErrorStream(true).start();
		java.io.BufferedReader heard = listener.inputReader();
		assertThat(heard.readLine()).isEqualTo("listening");
		// a's root may craft packets (raw sockets in its own namespace): only those from its own addresses pass
		for (String[] packet : List.of(new String[] { A4, B4, "own-v4" }, new String[] { B4, B4, "spoofed-neighbour-v4" },
				new String[] { "192.0.2.7", B4, "spoofed-other-v4" },
				new String[] { TestNode.ADDRESS_V4, B4, "spoofed-node-v4" }, new String[] { A6, B6, "own-v6" },
				new String[] { B6, B6, "spoofed-neighbour-v6" })) {
			TestEngine.Result sent = test.sh("a", "netprobe send " + String.join(" ", packet[0], packet[1], "9999",
					packet[2]));
			assertThat(sent.exitCode()).as(sent.output()).isZero();
		}
		listener.waitFor();
		String received = String.join("\n", heard.lines().toList());
		assertThat(received).contains("got own-v4").contains("got own-v6").doesNotContain("spoofed");

		// a packet socket in a sees only a's traffic while b and the node talk
		Process sniff = engine.exec("a", List.of("netprobe", "sniff", "3", A4, A6)).redirectErrorStream(true).start();
		for (int i = 0; i < 10; i++) {
			node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://" + B4 + ":8080/");
			node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://[" + B6 + "]:8080/");
		}
		sniff.waitFor();
		assertThat(new String(sniff.getInputStream().readAllBytes())).contains("foreign=0 ");
	}

	@Test
	void countersGrowAndTheEgressCapHoldsAndChangesLive() throws Exception {
		startWithWebServer("a", addresses(A4).withEgress(8_000_000), "from-a");
		long sentBefore = engine.usage("a").network().txBytes();
		long t0 = System.nanoTime();
		node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://" + A4 + ":8080/big");
		double seconds = (System.nanoTime() - t0) / 1e9;
		assertThat(seconds).as("2 MB sent at 8 Mbit/s").isBetween(1.6, 4.0);
		VeUsage usage = engine.usage("a");
		assertThat(usage.network().txBytes() - sentBefore).isGreaterThan(2_000_000);
		assertThat(usage.network().txPackets()).isGreaterThan(30);
		assertThat(usage.network().rxPackets()).isGreaterThan(100);

		engine.setNetwork("a", engine.network("a").withEgress(0));
		long t1 = System.nanoTime();
		node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://" + A4 + ":8080/big");
		assertThat((System.nanoTime() - t1) / 1e9).as("without the cap").isLessThan(1.0);
		engine.setNetwork("a", engine.network("a").withEgress(4_000_000));
		long t2 = System.nanoTime();
		node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://" + A4 + ":8080/big");
		assertThat((System.nanoTime() - t2) / 1e9).as("2 MB at 4 Mbit/s").isBetween(3.2, 7.0);
	}

	@Test
	void addressesComeAndGoWhileTheVeRunsAndBelongToOneVe() throws Exception {
		startWithWebServer("a", addresses(A4), "from-a");
		startWithWebServer("b", VeNetwork.NONE, "from-b");
		assertThat(test.sh("b", "ip link").output()).as("no address: loopback only").doesNotContain("eth0");

		engine.setNetwork("a", engine.network("a").withAddress(VeNetwork.parseAddress("ip", "198.51.100.20")));
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://198.51.100.20:8080/"))
			.isEqualTo("from-a\n");
		engine.setNetwork("a", engine.network("a").withoutAddress(VeNetwork.parseAddress("ip", A4)));
		assertThat(node.attempt("timeout", "3", "busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/").exitCode())
			.as("a removed address is not routed").isNotZero();
		assertThat(test.sh("a", "ip addr show dev eth0").output()).contains("198.51.100.20/32").doesNotContain(A4);

		assertThatThrownBy(() -> engine.setNetwork("b", addresses("198.51.100.20")))
			.hasMessage("ip: 198.51.100.20 belongs to the VE a");
		engine.setNetwork("b", addresses(B4, B6));
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://[" + B6 + "]:8080/"))
			.isEqualTo("from-b\n");
		assertThat(engine.network("b").addresses()).hasSize(2);
	}

	@Test
	void theNetworkComesBackAfterACrashAndARebootAndNothingStays() throws Exception {
		String hostLinks = TestEngine.run("ip", "-o", "link");
		String hostRoutes = TestEngine.run("ip", "route") + TestEngine.run("ip", "-6", "route");
		startWithWebServer("a", addresses(A4, A6), "from-a");

		// the engine's process goes away; a new one adopts the VE, whose network never depended on it
		VeEngine adopted = test.reopen();
		assertThat(adopted.network("a").addresses()).hasSize(2);
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/")).isEqualTo("from-a\n");

		// reboot inside: the supervisor builds the link again, without the engine
		long first = engine.status("a").initPid().getAsLong();
		test.sh("a", "reboot");
		TestEngine.waitFor(() -> engine.status("a").initPid().orElse(first) != first, Duration.ofSeconds(20),
				"the VE restarts");
		test.sh("a", "mkdir -p /www && echo again > /www/index.html && httpd -p 8080 -h /www");
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://[" + A6 + "]:8080/")).isEqualTo("again\n");

		// the VE crashes (its init killed): the kernel takes the link away, and a new start makes it again
		ProcessHandle.of(engine.status("a").initPid().getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
		TestEngine.waitFor(() -> engine.status("a").state() == VeState.STOPPED, Duration.ofSeconds(20), "a stops");
		engine.start("a");
		test.sh("a", "mkdir -p /www && echo third > /www/index.html && httpd -p 8080 -h /www");
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/")).isEqualTo("third\n");

		engine.stop("a", Duration.ofSeconds(10));
		assertThat(node.run("ip", "-o", "link")).as("stop removes the link").doesNotContain("cairn");
		engine.start("a");
		engine.destroy("a");
		assertThat(node.run("ip", "-o", "link")).doesNotContain("cairn");
		assertThat(node.run("ip", "route") + node.run("ip", "-6", "route")).doesNotContain(A4).doesNotContain(A6);
		assertThat(node.run("nft", "list", "ruleset")).doesNotContain(A4).doesNotContain("\"a\"");
		assertThat(TestEngine.run("ip", "-o", "link")).as("the host's links").isEqualTo(hostLinks);
		assertThat(TestEngine.run("ip", "route") + TestEngine.run("ip", "-6", "route")).as("the host's routes")
			.isEqualTo(hostRoutes);
		assertThat(TestEngine.run("ip", "netns", "list")).doesNotContain("cairn");
	}

	@Test
	void outboundNatIsANodeSettingOffByDefault() throws Exception {
		// "the internet": a namespace behind the node's uplink up0 (192.0.2.0/24), with no route to private ranges
		Process internet = new ProcessBuilder("unshare", "--net", "sleep", "infinity").start();
		Path www = Files.createTempDirectory("cairn-internet-www-");
		try {
			String far = "/proc/" + internet.pid() + "/ns/net";
			TestEngine.waitFor(() -> !TestEngine.run("readlink", far).equals(TestEngine.run("readlink", "/proc/self/ns/net")),
					Duration.ofSeconds(5), "the far namespace exists");
			node.run("ip", "link", "add", "name", "up0", "type", "veth", "peer", "name", "far0", "netns",
					Long.toString(internet.pid()));
			node.run("ip", "addr", "add", "192.0.2.1/24", "dev", "up0");
			node.run("ip", "link", "set", "up0", "up");
			TestEngine.run("nsenter", "--net=" + far, "ip", "addr", "add", "192.0.2.2/24", "dev", "far0");
			TestEngine.run("nsenter", "--net=" + far, "ip", "link", "set", "far0", "up");
			TestEngine.run("nsenter", "--net=" + far, "ip", "link", "set", "lo", "up");
			Files.writeString(www.resolve("index.html"), "from-far\n");
			Process server = new ProcessBuilder("nsenter", "--net=" + far, "busybox", "httpd", "-f", "-p", "8090", "-h",
					www.toString()).start();
			try {
				startWithWebServer("private", addresses("10.0.0.5"), "from-private");
				assertThat(engine.outboundNat()).isEmpty();
				assertThat(fetch("private", "192.0.2.2", 8090)).as("without NAT no answer finds its way back")
					.doesNotContain("from-far");

				engine.setOutboundNat(java.util.Optional.of("up0"));
				assertThat(fetch("private", "192.0.2.2", 8090)).isEqualTo("from-far");
				assertThat(test.reopen().outboundNat()).contains("up0");

				assertThatThrownBy(() -> engine.setOutboundNat(java.util.Optional.of("bad name!")))
					.hasMessageStartingWith("interface:");
				engine.setOutboundNat(java.util.Optional.empty());
				assertThat(fetch("private", "192.0.2.2", 8090)).doesNotContain("from-far");
				assertThat(node.run("nft", "list", "ruleset")).doesNotContain("cairn-nat");
			}
			finally {
				server.destroyForcibly();
			}
		}
		finally {
			internet.destroyForcibly();
			Trees.delete(www);
		}
	}

	@Test
	void badNetworkInputIsRefusedAndNothingIsMade() {
		for (String bad : List.of("300.1.1.1", "1.2.3", "01.2.3.4", "example.com", "", "127.0.0.1", "::1", "fe80::5",
				"224.0.0.1", "0.0.0.0", "::", "255.255.255.255")) {
			assertThatThrownBy(() -> addresses(bad)).as(bad).hasMessageStartingWith("ip:");
		}
		assertThatThrownBy(() -> addresses(A4, A4)).hasMessageStartingWith("ip:");
		assertThatThrownBy(() -> VeNetwork.parseRate("bandwidth", "10X")).hasMessageStartingWith("bandwidth:");
		assertThatThrownBy(() -> VeNetwork.parseRate("bandwidth", "-5")).hasMessageStartingWith("bandwidth:");
		assertThatThrownBy(() -> addresses(A4).withEgress(1000)).hasMessageStartingWith("bandwidth:");
		engine.create(new VeSpec("a", "busybox", null, null, null, ResourceLimits.NONE, addresses(A4)));
		assertThatThrownBy(() -> engine.create(new VeSpec("b", "busybox", null, null, null, ResourceLimits.NONE,
				addresses(B4, A4)))).hasMessage("ip: " + A4 + " belongs to the VE a");
		assertThat(engine.list()).extracting(VeStatus::name).containsExactly("a");
		assertThatThrownBy(() -> engine.network("a").withoutAddress(VeNetwork.parseAddress("ip", B4)))
			.hasMessageStartingWith("ip-del:");
	}
}
