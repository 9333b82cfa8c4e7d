// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The web panel: accounts, plans, VEs, backups and the audit log, over the engine. */
@SpringBootApplication
@org.springframework.scheduling.annotation.EnableScheduling
@ConfigurationPropertiesScan
public class PanelApplication {

	public static void start(String... args) {
		SpringApplication.run(PanelApplication.class, args);
	}
}
