// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cairn.engine.EngineException;
import org.cairn.engine.Trees;

/**
 * Writes tar entries under a root folder of the node, as the node's root, refusing what would leave that root or
 * put something a VE should not have in it: absolute or {@code ..} paths, device nodes and FIFOs, an entry
 * written through a symlink the archive made, a relative symlink or a hard link that leads out of the root, and
 * more than the size cap. Owners, modes (setuid and setgid included) and times are kept. With OCI's layer
 * rules, {@code .wh.NAME} removes NAME of the layers below and {@code .wh..wh..opq} empties a folder of them.
 */
final class LayerWriter {

	private static final String WHITEOUT = ".wh.";

	private static final String OPAQUE = ".wh..wh..opq";

	private static final long MAX_ENTRIES = 5_000_000;

	private final Path root;

	private final long maxBytes;

	private long bytes;

	private long entries;

	LayerWriter(Path root, long maxBytes) {
		this.root = root;
		this.maxBytes = maxBytes;
	}

	/** Writes one archive (a root file system, or a layer of an image with {@code layerRules}). */
	void apply(InputStream tar, boolean layerRules) throws IOException {
		Set<Path> written = new HashSet<>();
		TarArchiveInputStream in = new TarArchiveInputStream(tar);
		for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
			if (++entries > MAX_ENTRIES) {
				throw refused("more than " + MAX_ENTRIES + " entries");
			}
			List<String> segments = segments(entry.getName());
			if (segments.isEmpty()) {
				continue;
			}
			String last = segments.get(segments.size() - 1);
			Path parent = parentOf(segments);
			if (layerRules && last.equals(OPAQUE)) {
				emptyBelow(parent, written);
				continue;
			}
			if (layerRules && last.startsWith(WHITEOUT)) {
				Trees.delete(parent.resolve(last.substring(WHITEOUT.length())));
				continue;
			}
			Path target = parent.resolve(last);
			written.add(target);
			write(entry, in, target, segments);
		}
	}

	/** Bytes of file content written so far. */
	long bytes() {
		return bytes;
	}

	private void write(TarArchiveEntry entry, InputStream in, Path target, List<String> segments) throws IOException {
		String name = String.join("/", segments);
		if (entry.isCharacterDevice() || entry.isBlockDevice()) {
			throw refused("it holds the device node /" + name + " (a VE gets its devices from Cairn)");
		}
		if (entry.isFIFO()) {
			throw refused("it holds the FIFO /" + name);
		}
		if (entry.isDirectory()) {
			if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
				Trees.delete(target);
				Files.createDirectory(target);
			}
		}
		else if (entry.isSymbolicLink()) {
			String link = entry.getLinkName();
			if (!link.startsWith("/") && escapes(segments.subList(0, segments.size() - 1), link)) {
				throw refused("the link /" + name + " -> " + link + " leads out of the template");
			}
			Trees.delete(target);
			Files.createSymbolicLink(target, Path.of(link));
		}
		else if (entry.isLink()) {
			List<String> linked = segments(entry.getLinkName());
			Path source = linked.isEmpty() ? root : parentOf(linked).resolve(linked.get(linked.size() - 1));
			if (linked.isEmpty() || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
				throw refused("the hard link /" + name + " names /" + entry.getLinkName() + ", no file of the archive");
			}
			Trees.delete(target);
			Files.createLink(target, source);
			return;
		}
		else if (entry.isFile()) {
			bytes += entry.getSize();
			if (bytes > maxBytes) {
				throw refused("its files are larger than " + (maxBytes >> 20) + " MB (cairn.templates.max-size)");
			}
			Trees.delete(target);
			Files.copy(in, target);
		}
		else {
			throw refused("/" + name + " is a kind of entry a template cannot hold");
		}
		Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
		Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
		if (!entry.isSymbolicLink()) {
			// after the owner: a chown clears setuid and setgid
			Files.setAttribute(target, "unix:mode", entry.getMode() & 07777);
		}
		Files.setLastModifiedTime(target, FileTime.from(entry.getLastModifiedDate().toInstant()));
	}

	/** The folder an entry goes in: made when missing, refused when a symlink (the archive's) is on the way. */
	private Path parentOf(List<String> segments) throws IOException {
		Path dir = root;
		for (String segment : segments.subList(0, segments.size() - 1)) {
			dir = dir.resolve(segment);
			if (Files.isSymbolicLink(dir)) {
				throw refused("an entry is written through the symlink /" + root.relativize(dir)
						+ " (a template is written as its files are, never through its links)");
			}
			if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectory(dir);
			}
			else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
				throw refused("/" + root.relativize(dir) + " is a file and a folder in the archive");
			}
		}
		return dir;
	}

	/** OCI's opaque folder: what the layers below put in it goes; what this layer put there stays. */
	private static void emptyBelow(Path dir, Set<Path> written) throws IOException {
		try (var children = Files.list(dir)) {
			for (Path child : children.toList()) {
				if (!written.contains(child)) {
					Trees.delete(child);
				}
			}
		}
	}

	/** The entry's path as folders and a name; refused when absolute or climbing with "..". */
	private static List<String> segments(String name) {
		if (name.startsWith("/")) {
			throw refused("its entry " + name + " is an absolute path");
		}
		List<String> segments = new ArrayList<>();
		for (String segment : name.split("/")) {
			if (segment.equals("..")) {
				throw refused("its entry " + name + " climbs out with '..'");
			}
			if (!segment.isEmpty() && !segment.equals(".")) {
				segments.add(segment);
			}
		}
		return segments;
	}

	/** Whether a relative link in {@code folder} climbs above the root. */
	private static boolean escapes(List<String> folder, String link) {
		int depth = folder.size();
		for (String segment : link.split("/")) {
			if (segment.equals("..")) {
				depth--;
				if (depth < 0) {
					return true;
				}
			}
			else if (!segment.isEmpty() && !segment.equals(".")) {
				depth++;
			}
		}
		return false;
	}

	static EngineException refused(String why) {
		return new EngineException("template: the archive is refused: " + why);
	}
}
