// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The console's WebSocket, {@code /console/{veId}}: signed-in pages of the same origin only (the browser's
 * Origin must be the panel's, so that no other site can open a console with the user's cookie).
 */
@Configuration
@EnableWebSocket
class ConsoleConfiguration implements WebSocketConfigurer {

	private final ConsoleSocket socket;

	private final ConsoleAccess access;

	ConsoleConfiguration(ConsoleSocket socket, ConsoleAccess access) {
		this.socket = socket;
		this.access = access;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// no allowed origins given: Spring accepts the panel's own origin only
		registry.addHandler(socket, "/console/{veId}").addInterceptors(access);
	}
}
