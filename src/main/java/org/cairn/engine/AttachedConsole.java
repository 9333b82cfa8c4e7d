// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * The VE's own console ({@code /dev/console}), reached through its supervisor's socket: what the console prints
 * comes out, keys go in. The console's size is the VE's own (getty sets it); closing detaches, the VE goes on.
 */
final class AttachedConsole implements VeConsole {

	private final SocketChannel channel;

	private final InputStream output;

	private final OutputStream input;

	AttachedConsole(SocketChannel channel) {
		this.channel = channel;
		this.output = Channels.newInputStream(channel);
		this.input = Channels.newOutputStream(channel);
	}

	@Override
	public InputStream output() {
		return output;
	}

	@Override
	public OutputStream input() {
		return input;
	}

	@Override
	public void resize(int rows, int cols) {
		// one console, several viewers: its size stays what the VE set
	}

	@Override
	public boolean isOpen() {
		return channel.isOpen();
	}

	@Override
	public void close() {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// detached either way
		}
	}
}
