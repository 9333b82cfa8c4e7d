// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeConsole;

/**
 * A console of a VE on another node, through its agent's {@link NodeConsoleSocket}: what the terminal prints comes
 * out of {@link #output()} as it arrives, what is written to {@link #input()} goes to it. Opening waits for the
 * agent's "ok" or its refusal, which comes back as the engine's own exception.
 */
final class RemoteConsole implements VeConsole {

	private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);

	private final FrameStream output;

	private final WebSocket socket;

	private volatile boolean open = true;

	private RemoteConsole(WebSocket socket, FrameStream output) {
		this.socket = socket;
		this.output = output;
	}

	static RemoteConsole open(HttpClient http, URI uri, String node) {
		Listener listener = new Listener();
		WebSocket socket;
		try {
			socket = http.newWebSocketBuilder().connectTimeout(OPEN_TIMEOUT).buildAsync(uri, listener)
				.get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new EngineException.Unreachable(node, ex.getCause() == null ? ex : ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException.Unreachable(node, ex);
		}
		try {
			listener.opened.get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			socket.abort();
			throw ex.getCause() instanceof EngineException refused ? refused
					: new EngineException.Unreachable(node, ex.getCause());
		}
		catch (TimeoutException ex) {
			socket.abort();
			throw new EngineException.Unreachable(node, ex);
		}
		catch (InterruptedException ex) {
			socket.abort();
			Thread.currentThread().interrupt();
			throw new EngineException.Unreachable(node, ex);
		}
		return listener.console(socket);
	}

	@Override
	public InputStream output() {
		return output;
	}

	@Override
	public OutputStream input() {
		return new OutputStream() {

			@Override
			public void write(int b) throws IOException {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				try {
					socket.sendBinary(ByteBuffer.wrap(bytes.clone(), offset, length), true).join();
				}
				catch (CompletionException ex) {
					throw new IOException("the console's node connection is closed", ex.getCause());
				}
			}
		};
	}

	@Override
	public void resize(int rows, int cols) {
		socket.sendText("resize " + rows + " " + cols, true);
	}

	@Override
	public boolean isOpen() {
		return open;
	}

	@Override
	public void close() {
		open = false;
		if (!socket.isOutputClosed()) {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
		}
		socket.abort();
		output.end();
	}

	/** Reads the agent's frames: its "ok" or refusal first, then the terminal's output into the pipe. */
	private static final class Listener implements WebSocket.Listener {

		final CompletableFuture<Void> opened = new CompletableFuture<>();

		private volatile RemoteConsole console;

		private final FrameStream frames = new FrameStream();

		RemoteConsole console(WebSocket socket) {
			RemoteConsole made = new RemoteConsole(socket, frames);
			console = made;
			socket.request(1);
			return made;
		}

		@Override
		public void onOpen(WebSocket socket) {
			socket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			if (!opened.isDone() && "ok".contentEquals(data)) {
				// the next frame is asked for once the console is made (console())
				opened.complete(null);
				return null;
			}
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			frames.add(bytes);
			socket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
			if (!opened.isDone()) {
				opened.completeExceptionally(switch (code) {
					case NodeConsoleSocket.NOT_FOUND -> new EngineException.NotFound(reason);
					case NodeConsoleSocket.BUSY -> new EngineException.Busy(reason);
					default -> new EngineException(reason.isEmpty() ? "the node closed the console (" + code + ")" : reason);
				});
			}
			end();
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			opened.completeExceptionally(error);
			end();
		}

		private void end() {
			RemoteConsole made = console;
			if (made != null) {
				made.open = false;
			}
			frames.end();
		}
	}

	/**
	 * The terminal's output as the frames arrive, read by the panel's own thread. (Java's piped streams would not
	 * do: they take the WebSocket client's pool threads, which come and go, for dead writers.)
	 */
	private static final class FrameStream extends InputStream {

		private static final byte[] END = new byte[0];

		private final java.util.concurrent.BlockingQueue<byte[]> frames = new java.util.concurrent.LinkedBlockingQueue<>();

		private byte[] current = new byte[0];

		private int position;

		private boolean ended;

		void add(byte[] frame) {
			frames.add(frame);
		}

		void end() {
			frames.add(END);
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
			while (position == current.length) {
				if (ended) {
					return -1;
				}
				try {
					current = frames.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new java.io.InterruptedIOException("reading the console was interrupted");
				}
				position = 0;
				if (current == END) {
					ended = true;
					return -1;
				}
			}
			int n = Math.min(length, current.length - position);
			System.arraycopy(current, position, buffer, offset, n);
			position += n;
			return n;
		}

		@Override
		public void close() {
			end();
		}
	}
}
