// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/** The engine's root folder as VEs need it. */
final class EngineRoot {

	private EngineRoot() {
	}

	/**
	 * A VE's first process mounts its root as the VE's root user, a host uid of its own: the engine's root and
	 * every folder above it must let it pass, or every start would fail deep inside the launcher. The root is
	 * made so (passable, not listable); a folder above it that is not is refused, named with its mode.
	 */
	static void checkTraversable(Path root) {
		try {
			Set<PosixFilePermission> mode = new HashSet<>(Files.getPosixFilePermissions(root));
			if (mode.add(PosixFilePermission.OTHERS_EXECUTE)) {
				mode.add(PosixFilePermission.GROUP_EXECUTE);
				Files.setPosixFilePermissions(root, mode);
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot make the engine's root " + root + " passable for VEs: " + ex.getMessage(), ex);
		}
		for (Path dir = root.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
			try {
				Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
				if (!mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
					throw new EngineException("The engine's root " + root + " is out of VEs' reach: " + dir + " has mode "
							+ PosixFilePermissions.toString(mode) + "; VEs' own users must pass through it (chmod o+x "
							+ dir + ")");
				}
			}
			catch (IOException ex) {
				throw new EngineException("Cannot read the mode of " + dir + ": " + ex.getMessage(), ex);
			}
		}
	}
}
