// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.OptionalLong;

/**
 * A VE as it is now.
 * @param initPid the host pid of the VE's init while it runs
 * @param uidBase the first host uid of the VE's 65536 ids (root inside)
 * @param operation the operation under way, or empty
 * @param stopReason why a stopped VE is stopped when no one stopped it: it stopped by itself ("restarting too
 *        often ..."), or it is saved by a checkpoint, which its next start restores; or empty
 */
public record VeStatus(String name, VeState state, String template, String hostname, OptionalLong initPid,
		long uidBase, String operation, String stopReason) {
}
