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
 * A VE's own disk: a sparse ext4 image of twice its quota, with the half it may not use held back as
 * ext4's root-reserved blocks (e2fsprogs' mkfs.ext4, tune2fs, e2fsck and resize2fs).
 * <p>
 * Reserved blocks serve only the host's root and holders of CAP_SYS_RESOURCE, which no process of a VE
 * is, so the VE gets "No space left on device" at its quota. Moving the reserve is how a quota changes
 * while the VE runs, on every kernel and without CAP_SYS_RESOURCE (which online ext4 resizing needs):
 * ext4 reads the reserve from its superblock on each allocation. A sparse image costs nothing for the
 * space it does not hold. The launcher mounts the image inside the VE's mount namespace only.
 */
final class Disks {

	static final int BLOCK_SIZE = 4096;

	/** ext4 lets at most half of a file system be reserved: the quota can move between about half and all of it. */
	static final int HEADROOM = 2;

	private static final Pattern FIELD = Pattern.compile("^([A-Za-z ]+):\\s+(\\d+)$", Pattern.MULTILINE);

	private Disks() {
	}

	/** The size of the image for a quota: the most the quota can later rise to without a resize. */
	static long capacityFor(long quotaBytes) {
		return roundToBlocks(quotaBytes) * HEADROOM;
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
		reserve(image.toString(), geometry(image.toString()), quotaBytes);
	}

	/**
	 * Holds back all of the file system on {@code device} but {@code quotaBytes}: the loop device of a running
	 * VE (the kernel sees the change at once) or the image of a stopped one.
	 */
	static void reserve(String device, Geometry disk, long quotaBytes) {
		if (quotaBytes < disk.smallestQuota() || quotaBytes > disk.largestQuota()) {
			throw new IllegalStateException("a quota of " + quotaBytes + " does not fit " + disk);
		}
		run(List.of("/sbin/tune2fs", "-r", Long.toString(disk.reservedBlocksFor(quotaBytes)), device),
				"set the VE's disk quota", 0);
	}

	/** What the superblock on {@code device} says. */
	static Geometry geometry(String device) {
		String header = run(List.of("/sbin/dumpe2fs", "-h", device), "read the VE's disk", 0);
		Geometry disk = new Geometry(field(header, "Block count"), field(header, "Block size"),
				field(header, "Overhead clusters"), field(header, "Free blocks"));
		if (disk.blocks() == 0 || disk.blockSize() == 0 || disk.overhead() == 0) {
			throw new EngineException("disk: cannot read the size of the ext4 file system on " + device
					+ " (its superblock must say how much of it is metadata: mkfs.ext4 of e2fsprogs 1.47 does)");
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
	 * @param overhead blocks for the journal, inode tables and bitmaps, which statfs leaves out; mkfs.ext4 and
	 * the kernel write it; resize2fs leaves it 0, so {@link #resizeOffline} writes it again
	 * @param free free blocks as last written to the superblock: right for an unmounted file system
	 */
	record Geometry(long blocks, long blockSize, long overhead, long free) {

		/** ext4 keeps 2% (at most 4096 blocks) for itself, from everyone: not part of any quota. */
		private long kernelReserve() {
			return Math.min(blocks / 50, 4096);
		}

		long largestQuota() {
			return (blocks - overhead - kernelReserve()) * blockSize;
		}

		/** ext4 lets at most half of a file system be reserved. */
		long smallestQuota() {
			return Math.max(blockSize, largestQuota() - blocks / 2 * blockSize);
		}

		long reservedBlocksFor(long quotaBytes) {
			return (largestQuota() - quotaBytes) / blockSize;
		}

		/** Bytes in use, as df counts them. */
		long usedBytes() {
			return (blocks - overhead - free) * blockSize;
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
		Geometry before = geometry(device);
		growImage(image, bytes);
		run(List.of("/sbin/resize2fs", device, (bytes / 1024) + "K"), "resize the VE's disk", 0);
		try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
			file.setLength(bytes);
		}
		catch (IOException ex) {
			throw new EngineException("disk: cannot shrink " + image + ": " + ex.getMessage(), ex);
		}
		// files hold the blocks they held before: the rest of what is not free is the new metadata
		String after = run(List.of("/sbin/dumpe2fs", "-h", device), "read the VE's disk", 0);
		long blocks = field(after, "Block count");
		long overhead = blocks - field(after, "Free blocks") - before.usedBytes() / before.blockSize();
		run(List.of("/sbin/debugfs", "-w", "-R", "ssv overhead_clusters " + overhead, device),
				"record the VE's disk metadata size", 0);
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
