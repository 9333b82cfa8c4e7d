// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.nio.file.Path;
import java.util.List;

/**
 * A built OS template: a read-only tree shared by every VE made from it.
 * @param init the VE's init and its arguments
 * @param initSystem what that init is, which says how to stop it and what it expects of its VE
 */
public record Template(String name, Path rootfs, List<String> init, InitSystem initSystem, String description) {

	/** The signal that asks the init for a clean power-off. */
	public int stopSignal() {
		return initSystem.stopSignal();
	}
}
