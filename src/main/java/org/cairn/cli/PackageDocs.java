// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes the documentation the package installs beside the jar: manual pages ({@code DIR/man/*.1.gz}) and shell
 * completion ({@code DIR/completion/cairn.bash}, {@code _cairn} for zsh) from the model {@code --help} prints, and
 * the package's changelog ({@code DIR/doc/changelog.gz}). Run by the build: {@code PackageDocs DIR VERSION CHANGELOG}.
 */
public final class PackageDocs {

	private PackageDocs() {
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		String version = args[1];
		Path man = Files.createDirectories(dir.resolve("man"));
		for (Map.Entry<String, String> page : new ManualPages(version).all(CairnCommand.commandLine()).entrySet()) {
			gzip(page.getValue(), man.resolve(page.getKey() + ".gz"));
		}
		Path completion = Files.createDirectories(dir.resolve("completion"));
		Files.writeString(completion.resolve("cairn.bash"), ShellCompletion.bash(CairnCommand.commandLine()));
		Files.writeString(completion.resolve("_cairn"), ShellCompletion.zsh());
		gzip(Files.readString(Path.of(args[2])), Files.createDirectories(dir.resolve("doc")).resolve("changelog.gz"));
	}

	/**
	 * As {@code gzip -9n}, which Debian's policy asks for: best compression, no name and no time in the header, and
	 * the header's flag that says so (lintian reads it; Java's GZIPOutputStream leaves it 0).
	 */
	static void gzip(String text, Path to) throws IOException {
		byte[] data = text.getBytes(StandardCharsets.UTF_8);
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		CRC32 crc = new CRC32();
		crc.update(data);
		try (OutputStream out = Files.newOutputStream(to);
				DeflaterOutputStream body = new DeflaterOutputStream(new FilterOutputStream(out) {
					@Override
					public void close() {
						// the trailer follows the deflated body
					}
				}, deflater)) {
			// magic, deflate, no flags, no time, XFL 2 (best compression), OS 3 (Unix)
			out.write(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 });
			body.write(data);
			body.finish();
			out.write(littleEndian((int) crc.getValue()));
			out.write(littleEndian(data.length));
		}
		finally {
			deflater.end();
		}
	}

	private static byte[] littleEndian(int value) {
		return new byte[] { (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24) };
	}
}
