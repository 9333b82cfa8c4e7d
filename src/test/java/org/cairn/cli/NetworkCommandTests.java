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
}
