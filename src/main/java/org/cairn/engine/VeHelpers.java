// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The helpers at work on one VE (busybox over its files, restic, the host name), each recorded in
 * {@code state/helpers/PID} with its start time, so that a stop, a suspend or a destroy from any Cairn process
 * (the panel, the CLI) ends them and gets the VE's lock at once: an operation the VE made slow never outlasts
 * the admin's wish to stop it.
 */
final class VeHelpers {

	private VeHelpers() {
	}

	/** Records a helper of the VE's; closing the result forgets it. */
	static AutoCloseable track(VeDirectory ve, Process process) {
		Path dir = ve.state().resolve("helpers");
		Path record = dir.resolve(Long.toString(process.pid()));
		try {
			Files.createDirectories(dir);
			Files.writeString(record, started(process.toHandle()));
		}
		catch (IOException ex) {
			// an untracked helper still has its deadline
		}
		return () -> VeDirectory.deleteQuietly(record);
	}

	/** Ends every live helper of the VE and whatever it started; returns how many there were. */
	static int interrupt(VeDirectory ve) {
		Path dir = ve.state().resolve("helpers");
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		int ended = 0;
		try (Stream<Path> records = Files.list(dir)) {
			for (Path record : records.toList()) {
				ended += end(record) ? 1 : 0;
			}
		}
		catch (IOException ex) {
			return ended;
		}
		return ended;
	}

	private static boolean end(Path record) {
		try {
			long pid = Long.parseLong(record.getFileName().toString());
			String wanted = Files.readString(record);
			// the same process, not another that got its pid since
			var handle = ProcessHandle.of(pid).filter(h -> started(h).equals(wanted));
			VeDirectory.deleteQuietly(record);
			if (handle.isEmpty()) {
				return false;
			}
			List<ProcessHandle> family = handle.get().descendants().toList();
			handle.get().destroyForcibly();
			family.forEach(ProcessHandle::destroyForcibly);
			return true;
		}
		catch (IOException | NumberFormatException ex) {
			VeDirectory.deleteQuietly(record);
			return false;
		}
	}

	private static String started(ProcessHandle handle) {
		return handle.info().startInstant().map(Instant::toString).orElse("");
	}
}
