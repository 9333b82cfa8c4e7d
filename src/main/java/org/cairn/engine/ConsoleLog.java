// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The node's log of a VE's console, as its supervisor keeps it: {@code console.log} and the older {@code .1}. */
final class ConsoleLog {

	private ConsoleLog() {
	}

	/** The end of what the console printed, at most {@code maxBytes}, across both files. */
	static String tail(Path log, int maxBytes) {
		byte[] current = last(log, maxBytes);
		byte[] previous = current.length < maxBytes
				? last(log.resolveSibling(log.getFileName() + ".1"), maxBytes - current.length) : new byte[0];
		return new String(previous, StandardCharsets.UTF_8) + new String(current, StandardCharsets.UTF_8);
	}

	private static byte[] last(Path file, int maxBytes) {
		try (var channel = FileChannel.open(file, StandardOpenOption.READ,
				LinkOption.NOFOLLOW_LINKS)) {
			long size = channel.size();
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, maxBytes));
			channel.read(buffer, size - buffer.capacity());
			return buffer.array();
		}
		catch (NoSuchFileException ex) {
			return new byte[0];
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the console log " + file + ": " + ex.getMessage(), ex);
		}
	}
}
