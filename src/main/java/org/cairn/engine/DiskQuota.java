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
	 * Sets the VE's disk quota; checks before anything changes. Within the image (about half of it to all of it)
	 * this only moves ext4's reserve, online; beyond, the image is resized to twice the new quota: growing
	 * online needs CAP_SYS_RESOURCE, shrinking needs the VE stopped.
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
		String[] held = running ? LinuxVeEngine.readState(ve, "disk").split(" ") : null;
		String device = running ? held[0] : ve.diskImage().toString();
		Disks.Geometry disk = Disks.geometry(device);
		long used = running ? usage(held).usedBytes() : disk.usedBytes();
		if (wantedBytes <= used) {
			throw new EngineException("disk: " + (used >> 20) + "M are in use; a disk of " + (wantedBytes >> 20)
					+ "M would not hold them");
		}
		if (wantedBytes >= disk.smallestQuota() && wantedBytes <= disk.largestQuota()) {
			Disks.reserve(device, disk, wantedBytes);
			return;
		}
		if (running && wantedBytes < disk.smallestQuota()) {
			throw new EngineException("disk: a running VE's disk can shrink down to " + (disk.smallestQuota() >> 20)
					+ "M; stop the VE to make it smaller");
		}
		if (running && !Capabilities.effective(Capabilities.SYS_RESOURCE)) {
			// ext4 grows online only for a holder of CAP_SYS_RESOURCE; checked before the image changes
			throw new EngineException("disk: a running VE's disk can grow up to " + (disk.largestQuota() >> 20)
					+ "M on this node; stop the VE to make it larger (online ext4 resize needs CAP_SYS_RESOURCE,"
					+ " which this Cairn process lacks)");
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
		Disks.reserve(device, Disks.geometry(device), wantedBytes);
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
