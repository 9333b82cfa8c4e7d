// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A VE's processes saved by CRIU, in its folder: its next start restores them (OpenVZ's {@code vzctl suspend}).
 * @param savedAt when CRIU finished writing it
 * @param bytes what its images take on the node
 */
public record VeCheckpoint(String name, Instant savedAt, long bytes) {

	/** Written last: a checkpoint without it was cut short and is never restored. */
	private static final String SEAL = "sealed";

	static boolean exists(VeDirectory ve) {
		return Files.isRegularFile(ve.checkpoint().resolve(SEAL));
	}

	static Optional<VeCheckpoint> of(VeDirectory ve) {
		if (!exists(ve)) {
			return Optional.empty();
		}
		try (Stream<Path> files = Files.list(ve.checkpoint())) {
			long bytes = files.filter(Files::isRegularFile).mapToLong(VeCheckpoint::size).sum();
			Instant savedAt = Instant.parse(Files.readString(ve.checkpoint().resolve(SEAL)).strip());
			return Optional.of(new VeCheckpoint(ve.name(), savedAt, bytes));
		}
		catch (IOException | java.time.format.DateTimeParseException ex) {
			throw new EngineException("Cannot read the checkpoint of " + ve.name() + ": " + ex.getMessage(), ex);
		}
	}

	static void seal(Path images) throws IOException {
		Files.writeString(images.resolve(SEAL), Instant.now() + "\n");
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}
}
