// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.List;

import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRule;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.engine.network.VeNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VE's inbound firewall and the admin's node-wide rules, tried from another VE and from the node, over IPv4
 * and IPv6, before and after live changes; all in namespaces of the test's own, on documentation ranges.
 */
class FirewallTests extends NodeNetworkTest {

	private static final String A4 = "198.51.100.20";

	private static final String A6 = "2001:db8::20";

	private static final String B4 = "198.51.100.21";

	private static final String B6 = "2001:db8::21";

	private void startServing(String name, String v4, String v6) {
		VeNetwork network = new VeNetwork(List.of(VeNetwork.parseAddress("ip", v4), VeNetwork.parseAddress("ip", v6)),
				List.of(), 0);
		engine.create(new VeSpec(name, "busybox", null, null, null, ResourceLimits.NONE, network));
		engine.start(name);
		TestEngine.Result served = test.sh(name, "mkdir -p /www && echo page-of-" + name + " > /www/index.html"
				+ " && httpd -p 8080 -h /www && httpd -p 8081 -h /www");
		assertThat(served.exitCode()).as(served.output()).isZero();
	}

	/** What a web server answers, asked from inside a VE; "" when nothing answers within 2 s. */
	private String fetch(String from, String host, int port) {
		return test.sh(from, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + host + " " + port + " 2>/dev/null | tail -1")
			.output().strip();
	}

	private String fetchFromNode(String host, int port) {
		TestEngine.Result fetched = node.attempt("timeout", "3", "busybox", "wget", "-q", "-O", "-",
				"http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/");
		return fetched.exitCode() == 0 ? fetched.output().strip() : "";
	}

	private static Firewall firewall(FirewallRule.Action policy, String... rules) {
		return new Firewall(policy, true, true, List.of(rules).stream().map(FirewallRule::parse).toList());
	}

	@Test
	void aVeLetsInWhatItsOwnerAllowsAndNothingElseOverBothFamiliesAndLiveChangesKeepConnections() throws Exception {
		startServing("a", A4, A6);
		startServing("b", B4, B6);
		assertThat(engine.firewall("a")).isEqualTo(Firewall.OPEN);
		assertThat(fetch("b", A4, 8081)).as("open until its owner sets a firewall").isEqualTo("page-of-a");

		engine.setFirewall("a", firewall(FirewallRule.Action.DROP, "allow tcp 8080", "allow tcp 9000"));
		assertThat(fetch("b", A4, 8080)).isEqualTo("page-of-a");
		assertThat(fetch("b", A6, 8080)).isEqualTo("page-of-a");
		assertThat(fetch("b", A4, 8081)).as("dropped").isEmpty();
		assertThat(fetch("b", A6, 8081)).as("dropped").isEmpty();
		assertThat(fetchFromNode(A4, 8080)).isEqualTo("page-of-a");
		assertThat(fetchFromNode(A4, 8081)).as("the node's own traffic passes the same firewall").isEmpty();
		assertThat(test.sh("b", "ping -c 1 -W 2 " + A4 + " >/dev/null && ping -c 1 -W 2 " + A6 + " >/dev/null && echo up")
			.output()).as("ICMP passes unless the owner says otherwise").contains("up");
		assertThat(fetch("a", B4, 8081)).as("what the VE opens itself gets its replies").isEqualTo("page-of-b");
		assertThat(engine.firewall("a").rules()).extracting(FirewallRule::toString)
			.containsExactly("allow tcp 8080", "allow tcp 9000");

		// a connection made while 9000 is allowed outlives a change that no longer allows new ones
		// the server's stdin stays open: busybox's nc ends the connection at its end
		test.sh("a", "setsid sh -c 'sleep 30 | nc -l -p 9000' > /tmp/got 2>&1 < /dev/null &");
		Thread.sleep(300);
		test.sh("b", "setsid sh -c '(echo before; sleep 2; echo after) | nc " + A4 + " 9000' > /dev/null 2>&1 < /dev/null &");
		Thread.sleep(700);
		engine.setFirewall("a", firewall(FirewallRule.Action.DROP, "allow tcp 8081 from " + B4 + "/32"));
		TestEngine.waitFor(() -> test.sh("a", "cat /tmp/got").output().contains("after"), java.time.Duration.ofSeconds(10),
				"the established connection goes on");
		assertThat(test.sh("a", "cat /tmp/got").output()).isEqualTo("before\nafter\n");
		test.sh("a", "setsid sh -c 'sleep 30 | nc -l -p 9000' > /tmp/again 2>&1 < /dev/null &");
		assertThat(test.sh("b", "echo new | nc -w 2 " + A4 + " 9000; echo rc=$?").output()).as("a new one is dropped")
			.doesNotContain("rc=0");
		assertThat(fetch("b", A4, 8081)).as("allowed from b's IPv4 address").isEqualTo("page-of-a");
		assertThat(fetch("b", A6, 8081)).as("not from its IPv6 address").isEmpty();
		assertThat(fetch("b", A4, 8080)).as("no longer allowed").isEmpty();

		// the chain goes with the VE's run and comes back with the next
		String chain = "ve-" + test.linkOf("a");
		engine.stop("a", java.time.Duration.ofSeconds(10));
		assertThat(node.attempt("nft", "list", "chain", "inet", "cairn", chain).exitCode()).as("no chain of a stopped VE")
			.isNotZero();
		engine.start("a");
		test.sh("a", "httpd -p 8080 -h /www && httpd -p 8081 -h /www");
		assertThat(fetch("b", A4, 8080)).as("still dropped after a restart").isEmpty();
		assertThat(fetch("b", A4, 8081)).isEqualTo("page-of-a");

		// dropping ICMP and established traffic too, when the owner says so
		engine.setFirewall("a", new Firewall(FirewallRule.Action.DROP, false, false, List.of(FirewallRule.parse("allow tcp 8080"))));
		assertThat(test.sh("b", "ping -c 1 -W 1 " + A4 + " >/dev/null && echo up").output()).doesNotContain("up");
		assertThat(fetch("a", B4, 8081)).as("replies to what a opened are dropped too").isEmpty();

		engine.setFirewall("a", Firewall.OPEN);
		assertThat(fetch("b", A4, 8081)).isEqualTo("page-of-a");
	}

	@Test
	void nodeRulesDropWhatNoVeCanLetIn() throws Exception {
		startServing("a", A4, A6);
		startServing("b", B4, B6);
		test.sh("a", "httpd -p 25 -h /www");
		engine.setFirewall("a", firewall(FirewallRule.Action.ALLOW, "allow tcp 8080", "allow tcp 25"));
		engine.setNodeFirewall(List.of(NodeRule.parse("out drop tcp 25"), NodeRule.parse("in drop tcp 8080 from " + B6)));
		assertThat(engine.nodeFirewall()).extracting(NodeRule::toString)
			.containsExactly("out drop tcp 25", "in drop tcp 8080 from 2001:db8::21/128");
		assertThat(fetch("b", A4, 25)).as("no mail straight from a VE").isEmpty();
		assertThat(fetch("b", A6, 8080)).as("the admin's drop wins over the owner's allow").isEmpty();
		assertThat(fetch("b", A4, 8080)).isEqualTo("page-of-a");
		assertThat(fetchFromNode(A4, 25)).as("the node itself is no VE: not outbound from one").isEqualTo("page-of-a");

		// an admin exempts b (a customer trusted to send mail): the node-wide rules pass over it, at once and after
		// a restart, and apply again when the exemption goes
		engine.setNodeRulesExempt("b", true);
		assertThat(fetch("b", A4, 25)).isEqualTo("page-of-a");
		engine.stop("b", java.time.Duration.ofSeconds(10));
		engine.start("b");
		assertThat(fetch("b", A4, 25)).as("exempt after a restart").isEqualTo("page-of-a");
		assertThat(fetch("b", A6, 8080)).as("the in rule passes over it too").isEqualTo("page-of-a");
		engine.setNodeRulesExempt("b", false);
		assertThat(engine.nodeRulesExempt("b")).isFalse();
		assertThat(fetch("b", A4, 25)).isEmpty();

		engine.setNodeFirewall(List.of());
		assertThat(fetch("b", A4, 25)).isEqualTo("page-of-a");
		assertThat(fetch("b", A6, 8080)).isEqualTo("page-of-a");
	}
}
