// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Addresses and rates as users type them, and a VE's network as the engine records it. */
class VeNetworkTests {

	private static String shortForm(String text) {
		return VeNetwork.format(VeNetwork.parseAddress("ip", text));
	}

	@Test
	void ipv6IsWrittenInItsShortForm() {
		assertThat(shortForm("2001:0db8:0000:0000:0000:0000:0000:0010")).isEqualTo("2001:db8::10");
		assertThat(shortForm("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
		assertThat(shortForm("2001:db8:0:0:1:0:0:1")).as("the first of two equal runs").isEqualTo("2001:db8::1:0:0:1");
		assertThat(shortForm("2001:db8:0:1:1:1:1:1")).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
		assertThat(shortForm("2001:DB8::A")).isEqualTo("2001:db8::a");
		assertThat(shortForm("198.51.100.7")).isEqualTo("198.51.100.7");
	}

	@Test
	void ratesAreBitsPerSecond() {
		assertThat(VeNetwork.parseRate("bandwidth", "100M")).isEqualTo(100_000_000L);
		assertThat(VeNetwork.parseRate("bandwidth", "512k")).isEqualTo(512_000L);
		assertThat(VeNetwork.parseRate("bandwidth", "1G")).isEqualTo(1_000_000_000L);
		assertThat(VeNetwork.parseRate("bandwidth", "0")).isZero();
		assertThatThrownBy(() -> VeNetwork.parseRate("bandwidth", "1.5M")).hasMessageStartingWith("bandwidth:");
		assertThatThrownBy(() -> VeNetwork.parseRate("bandwidth", "999999999999G")).hasMessageStartingWith("bandwidth:");
	}

	@Test
	void theRecordSurvivesAWriteAndARead() {
		VeNetwork network = new VeNetwork(
				List.of(VeNetwork.parseAddress("ip", "198.51.100.7"), VeNetwork.parseAddress("ip", "2001:db8::7")),
				List.of(VeNetwork.parseAddress("nameserver", "192.0.2.53")), 10_000_000);
		Properties p = new Properties();
		network.store(p);
		assertThat(p.getProperty("net.addresses")).isEqualTo("198.51.100.7,2001:db8::7");
		assertThat(VeNetwork.load(p)).isEqualTo(network);
		assertThat(VeNetwork.load(new Properties())).isEqualTo(VeNetwork.NONE);
	}
}
