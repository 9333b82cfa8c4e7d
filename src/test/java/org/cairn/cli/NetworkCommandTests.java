// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.List;

import org.cairn.engine.TestEngine;
import org.cairn.engine.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The network options of {@code cairn ve} and {@code cairn node nat}, on a VE whose node side is a test namespace. */
class NetworkCommandTests {

	private TestNode node;

	private TestEngine test;


	@BeforeEach
	void open() throws Exception {
		node = TestNode.create();
		test = TestEngine.create("auto", node.network());
	}

	@AfterEach
	void close() {
		try {
			test.close();
		}
		finally {
			node.close();
		}
	}

	private CliRun cairn(String... args) {
		return CliRun.of(test, List.of("--node-netns", node.namespace().toString()), args);
	}

	@Test
	void addressesAreGivenAtCreateAndChangedLive() {
		CliRun bad = cairn("ve", "create", "bad", "--template", "busybox", "--ip", "300.1.1.1");
		assertThat(bad.exitCode()).isEqualTo(1);
		assertThat(bad.err()).contains("ip: '300.1.1.1' is not an IPv4 or IPv6 address").doesNotContain("\tat ");
		assertThat(cairn("ve", "create", "bad", "--template", "busybox", "--bandwidth", "fast").err())
			.contains("bandwidth: 'fast' is not a rate");
		assertThat(cairn("ve", "list").out()).doesNotContain("bad");

		assertThat(cairn("ve", "create", "web", "--template", "busybox", "--ip", "198.51.100.40", "--ip",
				"2001:db8::40", "--nameserver", "192.0.2.53", "--bandwidth", "50M").exitCode()).isZero();
		assertThat(cairn("ve", "start", "web").exitCode()).isZero();
		assertThat(cairn("ve", "status", "web").out())
			.contains("addresses: 198.51.100.40, 2001:db8::40; egress cap: 50000000 bit/s");

		CliRun changed = cairn("ve", "set", "web", "--ip-add", "198.51.100.41", "--ip-del", "2001:db8::40");
		assertThat(changed.exitCode()).as(changed.err()).isZero();
		assertThat(changed.out()).contains("addresses: 198.51.100.40, 198.51.100.41;");
		assertThat(node.run("ip", "route")).contains("198.51.100.41 dev cairn");
		assertThat(node.run("ip", "-6", "route")).doesNotContain("2001:db8::40");

		CliRun unknown = cairn("ve", "set", "web", "--ip-del", "192.0.2.99", "--memory", "64M");
		assertThat(unknown.exitCode()).isEqualTo(1);
		assertThat(unknown.err()).contains("ip-del: the VE has no address 192.0.2.99");
		assertThat(test.engine.limits("web").memoryBytes()).as("nothing half-done").isZero();

		assertThat(cairn("ve", "usage", "web", "--json").out()).contains("\"network\":{\"rxBytes\":");
		assertThat(cairn("node", "nat").out()).contains("outbound NAT: off");
		assertThat(cairn("node", "nat", "--interface", "bad name!").err()).contains("interface:");
	}

	@Test
	void aVesFirewallAndTheNodesRulesAreShownAndChanged() {
		assertThat(cairn("ve", "create", "walled", "--template", "busybox", "--ip", "198.51.100.42").exitCode()).isZero();
		assertThat(cairn("ve", "start", "walled").exitCode()).isZero();
		assertThat(cairn("ve", "firewall", "walled").out()).isEqualTo("policy allow, ICMP allowed, established allowed\n");
		CliRun set = cairn("ve", "firewall", "walled", "--policy", "drop", "--add", "allow tcp 22", "--add",
				"allow tcp 80 from 203.0.113.0/24");
		assertThat(set.exitCode()).as(set.err()).isZero();
		assertThat(set.out()).isEqualTo("policy drop, ICMP allowed, established allowed\n1  allow tcp 22\n"
				+ "2  allow tcp 80 from 203.0.113.0/24\n");
		String chain = node.run("nft", "list", "chain", "inet", "cairn", "ve-" + test.linkOf("walled"));
		assertThat(chain).contains("tcp dport 22 accept").contains("ip saddr 203.0.113.0/24 tcp dport 80 accept")
			.contains("drop");
		assertThat(cairn("ve", "firewall", "walled", "--del", "1", "--icmp", "drop", "--json").out())
			.isEqualTo("{\"policy\":\"drop\",\"icmp\":false,\"established\":true,"
					+ "\"rules\":[\"allow tcp 80 from 203.0.113.0/24\"]}\n");
		CliRun bad = cairn("ve", "firewall", "walled", "--add", "allow tcp 80-70");
		assertThat(bad.exitCode()).isEqualTo(1);
		assertThat(bad.err()).contains("firewall: ports are 1 to 65535").doesNotContain("\tat ");
		assertThat(cairn("ve", "firewall", "walled", "--del", "allow tcp 443").err()).contains("has no rule 'allow tcp 443'");
		assertThat(cairn("ve", "firewall", "walled", "--json").out()).as("nothing half-done").contains("\"icmp\":false");

		assertThat(cairn("node", "firewall").out()).isEqualTo("no node rules\n");
		CliRun nodeRules = cairn("node", "firewall", "--add", "out drop tcp 25");
		assertThat(nodeRules.exitCode()).as(nodeRules.err()).isZero();
		assertThat(nodeRules.out()).isEqualTo("out drop tcp 25\n");
		assertThat(node.run("nft", "list", "chain", "inet", "cairn", "node-rules")).contains("iifname \"cairn*\" tcp dport 25 drop");
		assertThat(cairn("node", "firewall", "--add", "out drop tcp 25 from 192.0.2.0/24").err()).contains("with 'to'");
		assertThat(cairn("node", "firewall", "--clear").out()).isEqualTo("no node rules\n");
	}
}
