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
		// a start that cannot go on is reported in one line (OneLineStartupReport), not also in Spring's frame,
		// also when it fails before the logging settings are read
		String reporter = "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter";
		if (org.slf4j.LoggerFactory.getLogger(reporter) instanceof ch.qos.logback.classic.Logger logger) {
			logger.setLevel(ch.qos.logback.classic.Level.OFF);
		}
		System.setProperty("logging.level." + reporter, "OFF");
		SpringApplication.run(PanelApplication.class, args);
	}
}
