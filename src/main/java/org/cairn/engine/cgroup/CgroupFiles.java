// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.EngineException;

/** Reading and writing cgroupfs files, with errors that name the file. */
final class CgroupFiles {

	private CgroupFiles() {
	}

	static String read(Path file) {
		try {
			return Files.readString(file).strip();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** The file's text, or empty when it is gone (its cgroup removed meanwhile, as at a VE's stop). */
	static java.util.Optional<String> readIfPresent(Path file) {
		try {
			return java.util.Optional.of(Files.readString(file).strip());
		}
		catch (java.nio.file.NoSuchFileException ex) {
			return java.util.Optional.empty();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + file + ": " + ex.getMessage(), ex);
		}
	}

	static void write(Path file, String value) {
		try {
			Files.writeString(file, value);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write '" + value + "' to " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** A file's number, or 0 when the file is missing (a controller that is not enabled). */
	static long number(Path file) {
		if (!Files.exists(file)) {
			return 0;
		}
		String text = read(file);
		return text.isEmpty() || text.equals("max") ? 0 : Long.parseLong(text.split("\\s+")[0]);
	}

	/** The value of {@code key} in a flat-keyed file such as memory.events or cpu.stat, or 0. */
	static long keyed(Path file, String key) {
		if (!Files.exists(file)) {
			return 0;
		}
		for (String line : read(file).split("\n")) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 2 && parts[0].equals(key)) {
				return Long.parseLong(parts[1]);
			}
		}
		return 0;
	}

	static List<Long> pids(Path procs) {
		List<Long> pids = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(procs)) {
				if (!line.isBlank()) {
					pids.add(Long.parseLong(line.strip()));
				}
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			// the supervisor removes a VE's cgroups as it ends: one removed while being read holds no process
			if (!Files.isDirectory(procs.getParent()) || String.valueOf(ex.getMessage()).contains("No such device")) {
				return List.of();
			}
			throw new EngineException("Cannot read " + procs + ": " + ex.getMessage(), ex);
		}
		return pids;
	}

	static void mkdir(Path dir) {
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot create the cgroup " + dir + ": " + ex.getMessage(), ex);
		}
	}

	/** rmdir of a cgroup, retried briefly: the kernel may still be releasing the last exited task. */
	static void rmdir(Path dir) {
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				Files.deleteIfExists(dir);
				return;
			}
			catch (IOException ex) {
				if (attempt == 49) {
					throw new EngineException("Cannot remove the cgroup " + dir + ": " + ex.getMessage(), ex);
				}
				sleep(20);
			}
		}
	}

	/** rmdir of a cgroup and of every cgroup below it (a VE's init made them), deepest first. */
	static void rmdirTree(Path dir) {
		for (Path child : children(dir)) {
			rmdirTree(child);
		}
		rmdir(dir);
	}

	/** The cgroup and every cgroup below it. */
	static List<Path> tree(Path dir) {
		List<Path> all = new ArrayList<>();
		all.add(dir);
		for (Path child : children(dir)) {
			all.addAll(tree(child));
		}
		return all;
	}

	private static List<Path> children(Path dir) {
		try (var entries = Files.list(dir)) {
			return entries.filter(Files::isDirectory).toList();
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			if (!Files.isDirectory(dir)) {
				return List.of();
			}
			throw new EngineException("Cannot list the cgroup " + dir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The files a delegatee owns (the kernel's cgroup-v2 "Delegation"): the directory, so that it makes cgroups
	 * below, and the files that move processes and enable controllers there. Limit files stay root's.
	 */
	static void delegate(Path dir, long uid) {
		for (String file : new String[] { "", "cgroup.procs", "cgroup.threads", "cgroup.subtree_control" }) {
			Path path = file.isEmpty() ? dir : dir.resolve(file);
			try {
				Files.setAttribute(path, "unix:uid", (int) uid);
				Files.setAttribute(path, "unix:gid", (int) uid);
			}
			catch (IOException ex) {
				throw new EngineException("Cannot hand " + path + " to the VE: " + ex.getMessage(), ex);
			}
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted");
		}
	}

	static void killEach(List<Long> pids) {
		for (long pid : pids) {
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}
}
