// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The fleet's certificate authority, in {@code cairn.data-dir/fleet}, made at the panel's first start. */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

	@Bean
	FleetAuthority fleetAuthority(@Value("${cairn.data-dir:/var/lib/cairn}") Path dataDir) {
		return FleetAuthority.openOrCreate(dataDir.resolve("fleet"));
	}
}
