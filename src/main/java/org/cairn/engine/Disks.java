// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VE's own disk: a sparse ext4 image of exactly its quota (e2fsprogs' mkfs.ext4, e2fsck and resize2fs),
 * which the launcher mounts inside the VE's mount namespace only, with {@code minixdf} (statfs counts the
 * file system's metadata as used) and no blocks held back: df inside shows the quota as the disk's size, and
 * used and available add up to it, as on a server's own disk. A sparse image costs nothing for the space it
 * does not hold.
 */
final class Disks {

	static final int BLOCK_SIZE = 4096;

	private static final Pattern FIELD = Pattern.compile("^([A-Za-z ]+):\\s+(\\d+)$", Pattern.MULTILINE);

	private Disks() {
	}

	/** The size of the image for a quota. */
	static long capacityFor(long quotaBytes) {
		return roundToBlocks(quotaBytes);
	}

	/** Makes the image, with {@code content}'s files (upper and work, owned by the VE's root) inside. */
	static void make(Path image, Path content, long quotaBytes, long inodes, long uidBase) throws IOException {
		// root's alone: the VE's files (its /etc/shadow) are in it
		Files.deleteIfExists(image);
		Files.createFile(image, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
			file.setLength(capacityFor(quotaBytes));
		}
		// a new sparse file reads as zeros: the journal and inode tables need no zeroing, and stay holes
		List<String> command = new ArrayList<>(List.of("/sbin/mkfs.ext4", "-q", "-F", "-b", Integer.toString(BLOCK_SIZE),
				"-m", "0", "-E", "lazy_journal_init=1,lazy_itable_init=1,root_owner=" + uidBase + ":" + uidBase, "-d",
				content.toString()));
		if (inodes > 0) {
			command.addAll(List.of("-N", Long.toString(inodes)));
		}
		command.add(image.toString());
		run(command, "make the VE's disk", 0);
	}

	/** What the superblock on {@code device} says. */
	static Geometry geometry(String device) {
		String header = run(List.of("/sbin/dumpe2fs", "-h", device), "read the VE's disk", 0);
		Geometry disk = new Geometry(field(header, "Block count"), field(header, "Block size"),
				field(header, "Free blocks"));
		if (disk.blocks() == 0 || disk.blockSize() == 0) {
			throw new EngineException("disk: cannot read the size of the ext4 file system on " + device);
		}
		return disk;
	}

	/** A number from dumpe2fs's header; 0 when it is not there. */
	private static long field(String header, String name) {
		Matcher field = FIELD.matcher(header);
		while (field.find()) {
			if (field.group(1).equals(name)) {
				return Long.parseLong(field.group(2));
			}
		}
		return 0;
	}

	/**
	 * An ext4 file system's block counts.
	 * @param free free blocks as last written to the superblock: right for an unmounted file system
	 */
	record Geometry(long blocks, long blockSize, long free) {

		/** Bytes in use, as df inside counts them (minixdf: metadata included). */
		long usedBytes() {
			return (blocks - free) * blockSize;
		}
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

	/** Resizes the ext4 file system of a stopped VE to {@code bytes}, then its image, up or down. */
	static void resizeOffline(Path image, long bytes) {
		String device = image.toString();
		// e2fsck: 1 means "errors corrected"
		run(List.of("/sbin/e2fsck", "-f", "-p", device), "check the VE's disk", 1);
		growImage(image, bytes);
		run(List.of("/sbin/resize2fs", device, (bytes / 1024) + "K"), "resize the VE's disk", 0);
		// a disk of the first layout held its unsold half back as root-reserved blocks
		run(List.of("/sbin/tune2fs", "-r", "0", device), "release the VE's disk's reserved blocks", 0);
		try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
			file.setLength(bytes);
		}
		catch (IOException ex) {
			throw new EngineException("disk: cannot shrink " + image + ": " + ex.getMessage(), ex);
		}
	}

	private static long roundToBlocks(long bytes) {
		return (bytes + BLOCK_SIZE - 1) / BLOCK_SIZE * BLOCK_SIZE;
	}

	private static String run(List<String> command, String what, int worstGoodExit) {
		if (!Files.isExecutable(Path.of(command.get(0)))) {
			throw new EngineException("disk: cannot " + what + ": install e2fsprogs (" + command.get(0) + " is missing)");
		}
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(command).redirectErrorStream(true),
				Duration.ofMinutes(10));
		if (result.exitCode() > worstGoodExit) {
			throw new EngineException("disk: cannot " + what + ": " + result.text());
		}
		return result.out().strip();
	}
}
