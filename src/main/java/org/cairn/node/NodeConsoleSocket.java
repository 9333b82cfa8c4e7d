// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeConsole;
import org.cairn.engine.VeEngine;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A VE's console carried to the panel over the agent's TLS: {@code /v1/ves/NAME/console?rows=&cols=&arg=...} runs a
 * command on a terminal ({@code ?attach=true}: the VE's own console instead). The first frame says "ok" once the
 * console is open, or the socket closes with a code that names why (see {@link RemoteConsole}); then the terminal's
 * output goes as binary frames, the panel's input comes as binary frames, and a text frame {@code resize ROWS COLS}
 * resizes the terminal.
 */
class NodeConsoleSocket extends AbstractWebSocketHandler {

	static final int NOT_FOUND = 4404;

	static final int BUSY = 4409;

	static final int REFUSED = 4400;

	private final VeEngine engine;

	private final Map<String, VeConsole> open = new ConcurrentHashMap<>();

	NodeConsoleSocket(VeEngine engine) {
		this.engine = engine;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		URI uri = session.getUri();
		String[] path = uri.getPath().split("/");
		String name = path.length > 3 ? path[3] : "";
		Map<String, List<String>> query = UriComponentsBuilder.fromUri(uri).build(true).getQueryParams();
		VeConsole console;
		try {
			if ("true".equals(first(query, "attach"))) {
				console = engine.attachConsole(name);
			}
			else {
				List<String> command = query.getOrDefault("arg", List.of()).stream()
					.map(arg -> java.net.URLDecoder.decode(arg, java.nio.charset.StandardCharsets.UTF_8))
					.toList();
				console = engine.console(name, command, Integer.parseInt(first(query, "rows")),
						Integer.parseInt(first(query, "cols")));
			}
		}
		catch (EngineException | NumberFormatException ex) {
			int code = ex instanceof EngineException.NotFound ? NOT_FOUND
					: ex instanceof EngineException.Busy ? BUSY : REFUSED;
			String message = String.valueOf(ex.getMessage());
			// a close frame's reason holds at most 123 bytes
			session.close(new CloseStatus(code, message.length() > 120 ? message.substring(0, 120) : message));
			return;
		}
		open.put(session.getId(), console);
		session.sendMessage(new TextMessage("ok"));
		Thread.ofVirtual().name("agent-console-" + name).start(() -> pump(session, console));
	}

	private static String first(Map<String, List<String>> query, String key) {
		List<String> values = query.get(key);
		return values == null || values.isEmpty() ? "" : values.getFirst();
	}

	private void pump(WebSocketSession session, VeConsole console) {
		byte[] buffer = new byte[16384];
		try (InputStream out = console.output()) {
			for (int n = out.read(buffer); n >= 0; n = out.read(buffer)) {
				synchronized (session) {
					session.sendMessage(new BinaryMessage(ByteBuffer.wrap(buffer, 0, n)));
				}
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the panel went away, or the console was closed under the read
		}
		try {
			session.close(CloseStatus.NORMAL);
		}
		catch (IOException | IllegalStateException ignored) {
			// already closed
		}
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
		VeConsole console = open.get(session.getId());
		if (console != null) {
			ByteBuffer payload = message.getPayload();
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			console.input().write(bytes);
			console.input().flush();
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		VeConsole console = open.get(session.getId());
		String[] words = message.getPayload().split(" ");
		if (console != null && words.length == 3 && words[0].equals("resize")) {
			try {
				console.resize(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
			}
			catch (NumberFormatException ignored) {
				// not a size: nothing to do
			}
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		VeConsole console = open.remove(session.getId());
		if (console != null) {
			console.close();
		}
	}
}
