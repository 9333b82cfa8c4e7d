// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checkpoints on this node: CRIU through the launcher, the images in the VE's {@code checkpoint} folder. */
final class LinuxVeCheckpoints implements VeCheckpoints {

	/** Where deploy/criu.sh installs CRIU and libcriu, which the launcher loads. */
	static final Path CRIU = Path.of("/usr/local/lib/cairn/criu");

	private final LinuxVeEngine engine;

	private final VeRunner runner;

	LinuxVeCheckpoints(LinuxVeEngine engine, VeRunner runner) {
		this.engine = engine;
		this.runner = runner;
	}

	@Override
	public VeStatus checkpoint(String name) {
		VeSpec.checkName(name);
		unavailable().ifPresent(why -> {
			throw new EngineException(why);
		});
		try (var lock = engine.winningLock(name)) {
			VeDirectory ve = engine.existing(name);
			if (Files.exists(ve.leaving())) {
				throw new EngineException(name + " is moving to another node");
			}
			runner.checkpoint(ve);
		}
		return engine.status(name);
	}

	@Override
	public VeStatus restore(String name) {
		VeSpec.checkName(name);
		if (saved(name).isEmpty()) {
			throw new EngineException(name + " has no checkpoint to restore; start it instead");
		}
		return engine.start(name);
	}

	@Override
	public Optional<VeCheckpoint> saved(String name) {
		VeSpec.checkName(name);
		return VeCheckpoint.of(engine.existing(name));
	}

	@Override
	public void discard(String name) {
		VeSpec.checkName(name);
		try (var lock = engine.winningLock(name)) {
			Trees.delete(engine.existing(name).checkpoint());
		}
	}

	@Override
	public Optional<String> unavailable() {
		if (!Files.isExecutable(CRIU.resolve("criu")) || !Files.exists(CRIU.resolve("libcriu.so.2"))) {
			return Optional.of("checkpoints need CRIU 4.1 or later in " + CRIU + ", which this node lacks:"
					+ " deploy/criu.sh in Cairn's source builds it");
		}
		return Optional.empty();
	}
}
