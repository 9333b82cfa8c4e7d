// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sparse image copied by chunks: holes stay holes, only what changed goes again, and a damaged stream is refused. */
class ImageSyncTests {

	private static final int MB = 1 << 20;

	@TempDir
	Path dir;

	@Test
	void aSparseImageIsCopiedSparseAndOnlyItsChangesGoAgain() throws IOException {
		Path source = dir.resolve("source.img");
		Path copy = dir.resolve("copy.img");
		try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
			file.setLength(256L * MB);
			write(file, 3L * MB + 5, "three");
			write(file, 200L * MB, "two hundred");
		}
		ImageSync.Plan first = sync(source, copy);
		assertThat(first.chunks()).as("only the chunks holding data").isEqualTo(2);
		assertThat(Files.mismatch(source, copy)).isEqualTo(-1);
		assertThat(allocated(copy)).as("holes stay holes").isLessThan(4L * MB);

		try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
			write(file, 200L * MB + 7, "changed");
			write(file, 100L * MB, "new");
		}
		ImageSync.Plan second = sync(source, copy);
		assertThat(second.chunks()).as("what changed since").isEqualTo(2);
		assertThat(Files.mismatch(source, copy)).isEqualTo(-1);
		assertThat(sync(source, copy).chunks()).as("nothing changed").isZero();
	}

	@Test
	void aDamagedOrForeignStreamIsRefused() throws IOException {
		Path source = dir.resolve("source.img");
		try (RandomAccessFile file = new RandomAccessFile(source.toFile(), "rw")) {
			file.setLength(8L * MB);
			write(file, MB, "data");
		}
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		ImageSync.send(source, ImageChunks.NONE, stream);
		byte[] bytes = stream.toByteArray();
		byte[] damaged = Arrays.copyOf(bytes, bytes.length);
		// a byte of the digest of the first chunk (after magic, size, tag, index, length)
		damaged[4 + 8 + 1 + 4 + 4] ^= 1;
		assertThatThrownBy(() -> ImageSync.apply(dir.resolve("a.img"), new ByteArrayInputStream(damaged)))
			.hasMessageContaining("arrived damaged");
		assertThatThrownBy(() -> ImageSync.apply(dir.resolve("b.img"), new ByteArrayInputStream(new byte[] { 1, 2, 3, 4 })))
			.hasMessageContaining("not a disk image stream");
		assertThatThrownBy(() -> ImageSync.apply(dir.resolve("c.img"),
				new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 1))))
			.hasMessageContaining("ended before its end");
	}

	private static ImageSync.Plan sync(Path source, Path copy) throws IOException {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		ImageSync.Plan plan = ImageSync.send(source, ImageSync.copied(copy), stream);
		ImageSync.apply(copy, new ByteArrayInputStream(stream.toByteArray()));
		return plan;
	}

	private static void write(RandomAccessFile file, long at, String text) throws IOException {
		file.seek(at);
		file.write(text.getBytes());
	}

	/** The bytes the file takes on disk (holes take none). */
	private static long allocated(Path file) throws IOException {
		Process du = new ProcessBuilder("du", "-B1", "--", file.toString()).start();
		return Long.parseLong(new String(du.getInputStream().readAllBytes()).split("\\s+")[0]);
	}
}
