// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * statfs(2) through the FFM API: the size and free space of the file system a path is on, also one that
 * is mounted only in a VE's mount namespace (reached through /proc/PID/fd of a process holding it).
 * <pre>
 * struct statfs (x86_64, 120 bytes): long f_type; long f_bsize; u64 f_blocks; u64 f_bfree; u64 f_bavail;
 *                                   u64 f_files; u64 f_ffree; ...
 * </pre>
 */
final class StatFs {

	private static final MethodHandle STATFS = Linker.nativeLinker()
		.downcallHandle(Linker.nativeLinker().defaultLookup().find("statfs").orElseThrow(),
				FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

	private StatFs() {
	}

	static VeUsage.DiskUsage of(String path) {
		try (Arena arena = Arena.ofConfined()) {
			MemorySegment buffer = arena.allocate(120, 8);
			int result = (int) STATFS.invokeExact(arena.allocateFrom(path), buffer);
			if (result != 0) {
				return VeUsage.DiskUsage.NONE;
			}
			long blockSize = buffer.get(ValueLayout.JAVA_LONG, 8);
			long blocks = buffer.get(ValueLayout.JAVA_LONG, 16);
			long free = buffer.get(ValueLayout.JAVA_LONG, 24);
			long available = buffer.get(ValueLayout.JAVA_LONG, 32);
			long files = buffer.get(ValueLayout.JAVA_LONG, 40);
			long filesFree = buffer.get(ValueLayout.JAVA_LONG, 48);
			// the size is what unprivileged writers can fill: used plus available, without ext4's reserve
			long used = (blocks - free) * blockSize;
			return new VeUsage.DiskUsage(used + available * blockSize, used, available * blockSize, files,
					files - filesFree, filesFree);
		}
		catch (Throwable ex) {
			throw new EngineException("statfs " + path + " failed: " + ex.getMessage(), ex);
		}
	}
}
