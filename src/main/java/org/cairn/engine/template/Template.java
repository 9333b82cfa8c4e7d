// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.nio.file.Path;
import java.util.List;

/**
 * A built OS template: a read-only tree shared by every VE made from it.
 * @param init the VE's init and its arguments
 * @param stopSignal the signal that asks this init for a clean power-off (busybox: USR2, systemd: RTMIN+3)
 */
public record Template(String name, Path rootfs, List<String> init, int stopSignal, String description) {
}
