// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.firewall;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rules as customers and admins write them: read, written back the same, and refused with the reason. */
class FirewallRuleTests {

	@Test
	void rulesReadAndWriteBackAsWritten() {
		for (String rule : List.of("allow tcp 80", "drop udp 53", "allow tcp 8000-8100 from 198.51.100.0/24",
				"drop any from 2001:db8::/32", "allow icmp", "allow icmp from 192.0.2.7/32")) {
			assertThat(FirewallRule.parse(rule)).hasToString(rule);
		}
		assertThat(FirewallRule.parse("  ALLOW  TCP 443 FROM 192.0.2.1 ")).hasToString("allow tcp 443 from 192.0.2.1/32");
		Firewall firewall = Firewall.parse(List.of("policy drop", "icmp drop", "established allow", "allow tcp 22"));
		assertThat(Firewall.parse(firewall.lines())).isEqualTo(firewall);
		assertThat(firewall.icmp()).isFalse();
		assertThat(NodeRule.parse("out drop tcp 25")).hasToString("out drop tcp 25");
		assertThat(NodeRule.parse("in drop any from 203.0.113.0/24")).hasToString("in drop any from 203.0.113.0/24");
	}

	@Test
	void badRulesAreRefusedWithTheReason() {
		assertThatThrownBy(() -> FirewallRule.parse("permit tcp 80")).hasMessageContaining("'permit' is not an action");
		assertThatThrownBy(() -> FirewallRule.parse("allow sctp 80")).hasMessageContaining("'sctp' is not a protocol");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 0")).hasMessageContaining("ports are 1 to 65535");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 70000")).hasMessageContaining("ports are 1 to 65535");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 90-80")).hasMessageContaining("not above the last");
		assertThatThrownBy(() -> FirewallRule.parse("allow icmp 8")).hasMessageContaining("ports go with tcp or udp");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 80 from example.com"))
			.hasMessageContaining("not an address or prefix");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 80 from 198.51.100.1/24")).hasMessageContaining("host bits");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 80 from 198.51.100.0/33")).hasMessageContaining("at most /32");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 80 from")).hasMessageContaining("'from PREFIX'");
		assertThatThrownBy(() -> FirewallRule.parse("allow tcp 80 ; flush ruleset"))
			.hasMessageStartingWith("firewall:");
		assertThatThrownBy(() -> NodeRule.parse("out allow tcp 25")).hasMessageContaining("in|out drop");
		assertThatThrownBy(() -> NodeRule.parse("out drop tcp 25 from 192.0.2.0/24")).hasMessageContaining("with 'to'");
		assertThatThrownBy(() -> Firewall.parse(List.of("policy maybe"))).hasMessageContaining("policy is allow or drop");
	}
}
