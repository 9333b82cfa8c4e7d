// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

/**
 * What the node has for VEs: its RAM, CPUs, and the file system under the engine's root (VE disks, overlays).
 */
public record NodeCapacity(long memoryBytes, int cpus, long diskBytes, long diskFreeBytes) {
}
