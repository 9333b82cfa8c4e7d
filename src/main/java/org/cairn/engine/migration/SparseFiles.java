// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.migration;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * What Java's file API does not offer on a sparse file, through the FFM API: where its data lies (lseek's
 * SEEK_DATA and SEEK_HOLE), and handing a range back to the file system (fallocate's PUNCH_HOLE). A VE's 50 GB disk
 * with 2 GB written is read and sent as 2 GB.
 */
final class SparseFiles {

	private static final Linker LINKER = Linker.nativeLinker();

	private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
			FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

	private static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
			FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

	private static final MethodHandle FALLOCATE = LINKER.downcallHandle(
			LINKER.defaultLookup().find("fallocate").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
					ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

	private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
			FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

	private static final int O_RDONLY = 0;

	private static final int O_WRONLY = 1;

	private static final int O_CLOEXEC = 0x80000;

	private static final int SEEK_DATA = 3;

	private static final int SEEK_HOLE = 4;

	private static final int FALLOC_FL_KEEP_SIZE = 1;

	private static final int FALLOC_FL_PUNCH_HOLE = 2;

	private SparseFiles() {
	}

	/** The chunks of {@code chunkBytes} of the file that hold some data. */
	static BitSet dataChunks(Path file, long size, int chunkBytes) throws IOException {
		BitSet chunks = new BitSet();
		int fd = open(file, O_RDONLY);
		try {
			long at = 0;
			while (at < size) {
				long data = (long) LSEEK.invokeExact(fd, at, SEEK_DATA);
				if (data < 0) {
					break; // ENXIO: no data after this offset
				}
				long hole = (long) LSEEK.invokeExact(fd, data, SEEK_HOLE);
				long end = hole < 0 ? size : Math.min(hole, size);
				chunks.set((int) (data / chunkBytes), (int) ((end + chunkBytes - 1) / chunkBytes));
				at = end;
			}
			return chunks;
		}
		catch (Throwable ex) {
			throw ex instanceof IOException io ? io : new IOException("lseek " + file + ": " + ex, ex);
		}
		finally {
			close(fd);
		}
	}

	/** A handle to punch holes in a file with; closed by the caller. */
	static final class Puncher implements AutoCloseable {

		private final Path file;

		private final int fd;

		Puncher(Path file) throws IOException {
			this.file = file;
			this.fd = open(file, O_WRONLY);
		}

		/** Makes {@code length} bytes from {@code offset} a hole: they read as zeros and take no space. */
		void punch(long offset, long length) throws IOException {
			int result;
			try {
				result = (int) FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
			}
			catch (Throwable ex) {
				throw new IOException("fallocate " + file + ": " + ex, ex);
			}
			if (result != 0) {
				throw new IOException("cannot punch a hole in " + file + " (does its file system support holes?)");
			}
		}

		@Override
		public void close() {
			SparseFiles.close(fd);
		}
	}

	private static int open(Path file, int flags) throws IOException {
		try (Arena arena = Arena.ofConfined()) {
			int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), flags | O_CLOEXEC);
			if (fd < 0) {
				throw new IOException("cannot open " + file);
			}
			return fd;
		}
		catch (IOException ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException("open " + file + ": " + ex, ex);
		}
	}

	private static void close(int fd) {
		try {
			int ignored = (int) CLOSE.invokeExact(fd);
		}
		catch (Throwable ex) {
			// nothing to do about a failed close of a descriptor only read or punched through
		}
	}
}
