// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import org.cairn.engine.VeEngine;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The agent's one WebSocket: a VE's console ({@link NodeConsoleSocket}); only the panel reaches it (PanelOnlyFilter). */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class NodeAgentSockets implements WebSocketConfigurer {

	private final VeEngine engine;

	NodeAgentSockets(VeEngine engine) {
		this.engine = engine;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new NodeConsoleSocket(engine), "/v1/ves/*/console");
	}
}
