// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.net.ServerSocket;

import org.cairn.panel.PanelApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configured database that does not answer stops the start with one clear message, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	@Test
	void unreachableDatabaseGivesAClearMessage(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/cairn";
		assertThatThrownBy(() -> PanelApplication.start("--spring.datasource.url=" + url, "--server.port=0"))
			.isInstanceOf(org.cairn.panel.database.DatabaseUnavailableException.class);
		assertThat(output.getAll()).contains("Cannot connect to PostgreSQL at " + url)
			.doesNotContain("\tat org.")
			.doesNotContain("\tat java.");
	}
}
