// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's effective capabilities, from /proc/self/status. */
final class Capabilities {

	static final int SYS_RESOURCE = 24;

	private Capabilities() {
	}

	static boolean effective(int capability) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("CapEff:")) {
					long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
					return (mask & (1L << capability)) != 0;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// unknown: let the kernel decide
		}
		return true;
	}
}
