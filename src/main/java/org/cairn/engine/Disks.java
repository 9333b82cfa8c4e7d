// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A VE's own disk: a sparse ext4 image sized by its quota (e2fsprogs' mkfs.ext4, e2fsck and resize2fs).
 * The launcher mounts it, inside the VE's mount namespace only; ext4 enforces size and inode count.
 */
final class Disks {

	private Disks() {
	}

	/** Makes the image, with {@code content}'s files (upper and work, owned by the VE's root) inside. */
	static void make(Path image, Path content, long bytes, long inodes, long uidBase) throws IOException {
		try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
			file.setLength(bytes);
		}
		List<String> command = new ArrayList<>(List.of("/sbin/mkfs.ext4", "-q", "-F", "-m", "0", "-E",
				"root_owner=" + uidBase + ":" + uidBase, "-d", content.toString()));
		if (inodes > 0) {
			command.addAll(List.of("-N", Long.toString(inodes)));
		}
		command.add(image.toString());
		run(command, "make the VE's disk", 0);
	}

	static void growImage(Path image, long bytes) {
		try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
			if (file.length() < bytes) {
				file.setLength(bytes);
			}
		}
		catch (IOException ex) {
			throw new EngineException("disk: cannot grow " + image + ": " + ex.getMessage(), ex);
		}
	}

	/** Grows the ext4 file system of a stopped VE to its image's size. */
	static void growOffline(Path image) {
		// e2fsck: 1 means "errors corrected"
		run(List.of("/sbin/e2fsck", "-f", "-p", image.toString()), "check the VE's disk", 1);
		run(List.of("/sbin/resize2fs", image.toString()), "grow the VE's disk", 0);
	}

	private static void run(List<String> command, String what, int worstGoodExit) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() > worstGoodExit) {
				throw new EngineException("disk: cannot " + what + ": " + out);
			}
		}
		catch (IOException ex) {
			throw new EngineException("disk: cannot " + what + " (install e2fsprogs): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted");
		}
	}
}
