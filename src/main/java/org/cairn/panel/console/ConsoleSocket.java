// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeConsole;
import org.cairn.engine.VeEngine;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.ve.Ve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A VE's console over a WebSocket: a login shell on a terminal of the VE's own, or (with {@code ?source=console})
 * the VE's own console, where its init and a getty write. The browser sends text frames,
 * "0" then keys, or "1" then "ROWS,COLS" when its window changes; the terminal's output comes back as binary
 * frames. Closing the page ends the shell; so does a console left idle for {@code cairn.console.idle-timeout}.
 */
@Component
class ConsoleSocket extends TextWebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(ConsoleSocket.class);

	/** A login shell: bash where the VE has it, else sh. */
	private static final List<String> LOGIN_SHELL = List.of("/bin/sh", "-c",
			"if [ -x /bin/bash ]; then exec /bin/bash -l; else exec /bin/sh -l; fi");

	/** What the browser sees when the VE cannot give a console; its reason is in the message. */
	static final CloseStatus UNAVAILABLE = new CloseStatus(4000);

	static final CloseStatus IDLE = new CloseStatus(4001, "idle for too long");

	private final VeEngine engine;

	private final Duration idleTimeout;

	private final Map<String, Open> open = new ConcurrentHashMap<>();

	private record Open(WebSocketSession session, VeConsole console, Instant[] lastInput) {
	}

	private final ApplicationEventPublisher events;

	ConsoleSocket(@Lazy VeEngine engine, @Value("${cairn.console.idle-timeout:PT15M}") Duration idleTimeout,
			ApplicationEventPublisher events) {
		this.engine = engine;
		this.events = events;
		this.idleTimeout = idleTimeout;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
		WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, 10_000, 1 << 20);
		Ve ve = (Ve) raw.getAttributes().get(ConsoleAccess.VE);
		String user = (String) raw.getAttributes().get(ConsoleAccess.USER);
		VeConsole console;
		boolean own = "console".equals(raw.getAttributes().get(ConsoleAccess.SOURCE));
		try {
			if (own) {
				// the VE's own console: what it printed lately first, then what it prints
				console = engine.attachConsole(ve.getEngineName());
				session.sendMessage(new BinaryMessage(engine.consoleLog(ve.getEngineName(), 16 * 1024)
					.replace("\n", "\r\n").replace("\r\r\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
			}
			else {
				console = engine.console(ve.getEngineName(), LOGIN_SHELL, (int) raw.getAttributes().get(ConsoleAccess.ROWS),
						(int) raw.getAttributes().get(ConsoleAccess.COLS));
			}
		}
		catch (EngineException ex) {
			String message = ex.getMessage().replace(ve.getEngineName(), ve.getHostname());
			events.publishEvent(AuditedAction.failure("VE_CONSOLE_OPEN", "ve:" + ve.getHostname(), message)
				.withActor(user));
			session.sendMessage(new TextMessage("\r\n[" + message + "]\r\n"));
			session.close(UNAVAILABLE.withReason(message.length() > 120 ? message.substring(0, 120) : message));
			return;
		}
		events.publishEvent(new AuditedAction(user, "VE_CONSOLE_OPEN", "ve:" + ve.getHostname(), Outcome.SUCCESS,
				own ? "the VE's own console" : "a login shell"));
		open.put(raw.getId(), new Open(session, console, new Instant[] { Instant.now() }));
		Thread.ofVirtual().name("console-" + ve.getHostname()).start(() -> pump(session, console));
	}

	/** The terminal's output to the browser until the shell ends, then the socket closes. */
	private void pump(WebSocketSession session, VeConsole console) {
		byte[] buffer = new byte[16384];
		try (InputStream out = console.output()) {
			for (int n = out.read(buffer); n >= 0; n = out.read(buffer)) {
				session.sendMessage(new BinaryMessage(java.util.Arrays.copyOf(buffer, n)));
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the browser went away, or the console was closed under the read
		}
		try {
			if (session.isOpen()) {
				session.sendMessage(new TextMessage("\r\n[the shell ended]\r\n"));
				session.close(CloseStatus.NORMAL);
			}
		}
		catch (IOException | IllegalStateException ignored) {
			// already closed
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		Open console = open.get(session.getId());
		String text = message.getPayload();
		if (console == null || text.isEmpty()) {
			return;
		}
		if (text.charAt(0) == '0') {
			console.lastInput()[0] = Instant.now();
			console.console().input().write(text.substring(1).getBytes(StandardCharsets.UTF_8));
			console.console().input().flush();
		}
		else if (text.charAt(0) == '1') {
			String[] size = text.substring(1).split(",");
			if (size.length == 2) {
				int rows = ConsoleAccess.size(size[0].strip(), -1);
				int cols = ConsoleAccess.size(size[1].strip(), -1);
				if (rows > 0 && cols > 0) {
					console.console().resize(rows, cols);
				}
			}
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Open console = open.remove(session.getId());
		if (console != null) {
			console.console().close();
		}
	}

	@Scheduled(fixedDelayString = "${cairn.console.idle-check:PT30S}")
	void closeIdle() {
		Instant limit = Instant.now().minus(idleTimeout);
		for (Open console : List.copyOf(open.values())) {
			if (console.lastInput()[0].isBefore(limit)) {
				try {
					console.session().sendMessage(new TextMessage("\r\n[closed: no input for " + idleTimeout.toMinutes()
							+ " minutes]\r\n"));
					console.session().close(IDLE);
				}
				catch (IOException | IllegalStateException ex) {
					log.debug("Closing an idle console: {}", ex.getMessage());
				}
				afterConnectionClosed(console.session(), IDLE);
			}
		}
	}

	/** How many consoles are open now. */
	int openConsoles() {
		return open.size();
	}
}
