// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** The fleet's certificate authority, in {@code cairn.data-dir/fleet}, made at the panel's first start, and the fleet's engine. */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

	@Bean
	FleetAuthority fleetAuthority(@Value("${cairn.data-dir:/var/lib/cairn}") Path dataDir) {
		return FleetAuthority.openOrCreate(dataDir.resolve("fleet"));
	}

	/** What the panel's features use: the fleet as one engine, each VE's calls going to its node. */
	@Bean
	@Primary
	FleetVeEngine veEngine(FleetEngines engines, FleetNodes nodes) {
		return new FleetVeEngine(engines, nodes);
	}
}
