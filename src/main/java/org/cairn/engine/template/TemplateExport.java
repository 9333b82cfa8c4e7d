// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.cairn.engine.EngineException;

/**
 * A template's root file system as the archive {@link TemplateImport} takes back (a zstd-compressed tar with
 * numeric owners, modes and times): how a template made on one node is copied to another. Directories, files and
 * symbolic links only, which is all an imported template holds; anything else is refused by name.
 */
public final class TemplateExport {

	private TemplateExport() {
	}

	/** Writes {@code template} to {@code archive}. */
	public static void write(Template template, Path archive) {
		Path root = template.rootfs();
		try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
				TarArchiveOutputStream tar = new TarArchiveOutputStream(new ZstdCompressorOutputStream(file, 3))) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
			Files.walkFileTree(root, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
					if (!dir.equals(root)) {
						add(tar, root, dir);
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) throws IOException {
					add(tar, root, path);
					return FileVisitResult.CONTINUE;
				}
			});
			tar.finish();
		}
		catch (IOException ex) {
			throw new EngineException("template: cannot pack " + template.name() + ": " + ex.getMessage(), ex);
		}
	}

	private static void add(TarArchiveOutputStream tar, Path root, Path path) throws IOException {
		String name = root.relativize(path).toString();
		PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		TarArchiveEntry entry;
		if (attributes.isSymbolicLink()) {
			entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
			entry.setLinkName(Files.readSymbolicLink(path).toString());
		}
		else if (attributes.isDirectory()) {
			entry = new TarArchiveEntry(name + "/");
		}
		else if (attributes.isRegularFile()) {
			entry = new TarArchiveEntry(name);
			entry.setSize(attributes.size());
		}
		else {
			throw new IOException("/" + name + " is neither a folder, a file nor a link");
		}
		entry.setUserId(((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
		entry.setGroupId(((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
		entry.setMode((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
		entry.setModTime(attributes.lastModifiedTime());
		tar.putArchiveEntry(entry);
		if (attributes.isRegularFile()) {
			Files.copy(path, tar);
		}
		tar.closeArchiveEntry();
	}
}
