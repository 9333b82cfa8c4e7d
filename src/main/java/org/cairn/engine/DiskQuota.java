// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cairn.engine.launcher.Launcher;

/** A VE's disk quota: its ext4 image's size and reserve, checked against the node's file system. */
final class DiskQuota {

	private final Launcher launcher;

	private final Path root;

	DiskQuota(Launcher launcher, Path root) {
		this.launcher = launcher;
		this.root = root;
	}

	/**
	 * Sets the VE's disk quota, the size of its ext4 image; checks before anything changes. A running VE's disk
	 * grows online (ext4's online resize, which needs CAP_SYS_RESOURCE); it shrinks with the VE stopped
	 * (e2fsck + resize2fs). ext4 adds inode tables with the space, so the inode count grows with the disk.
	 */
	void resize(VeDirectory ve, ResourceLimits current, ResourceLimits wanted, boolean running) {
		if (wanted.inodes() != current.inodes()) {
			throw new EngineException("inodes: fixed when the VE's disk is made (" + current.inodes() + ")");
		}
		if (wanted.diskBytes() == current.diskBytes()) {
			return;
		}
		if (current.diskBytes() == 0) {
			throw new EngineException("disk: this VE was created without a disk of its own; its size cannot be set");
		}
		long wantedBytes = wanted.diskBytes();
		String[] held = running ? ve.readState("disk").split(" ") : null;
		long used = running ? usage(held).usedBytes() : Disks.geometry(ve.diskImage().toString()).usedBytes();
		if (wantedBytes <= used) {
			throw new EngineException("disk: " + (used >> 20) + "M are in use; a disk of " + (wantedBytes >> 20)
					+ "M would not hold them");
		}
		if (running && imageSize(ve) != Disks.capacityFor(current.diskBytes())) {
			throw new EngineException("disk: this VE's disk has Cairn's first layout (twice its quota, the rest held"
					+ " back); stop the VE to resize it, which converts it");
		}
		if (running && wantedBytes < current.diskBytes()) {
			throw new EngineException("disk: a running VE's disk can grow, not shrink; stop the VE to make it smaller");
		}
		if (running && !Capabilities.effective(Capabilities.SYS_RESOURCE)) {
			// ext4 grows online only for a holder of CAP_SYS_RESOURCE; checked before the image changes
			throw new EngineException("disk: stop the VE to make its disk larger (online ext4 resize needs"
					+ " CAP_SYS_RESOURCE, which this Cairn process lacks)");
		}
		checkFits(wantedBytes);
		long capacity = Disks.capacityFor(wantedBytes);
		if (running) {
			Disks.growImage(ve.diskImage(), capacity);
			launcher.growDisk(held[0], Path.of("/proc", held[1], "fd", held[2]));
		}
		else {
			Disks.resizeOffline(ve.diskImage(), capacity);
		}
	}

	private static long imageSize(VeDirectory ve) {
		try {
			return Files.size(ve.diskImage());
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the size of " + ve.diskImage() + ": " + ex.getMessage(), ex);
		}
	}

	/** A VE's disk is a sparse file: it may not be larger than the file system that holds it. */
	void checkFits(long bytes) {
		if (bytes == 0) {
			return;
		}
		try {
			long total = Files.getFileStore(root).getTotalSpace();
			if (bytes > total) {
				throw new EngineException("disk: " + (bytes >> 20) + "M is more than the " + (total >> 20)
						+ "M of the file system under " + root);
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the size of " + root + ": " + ex.getMessage(), ex);
		}
	}

	/** The disk's space as the VE sees it, through the descriptor its supervisor holds ("loop pid fd"). */
	static VeUsage.DiskUsage usage(String[] held) {
		return StatFs.of("/proc/" + held[1] + "/fd/" + held[2]);
	}
}
