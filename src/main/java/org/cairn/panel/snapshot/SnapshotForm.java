// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot asked for in a form or the API: its name; for a rollback, the VE's host name typed to confirm.
 */
public record SnapshotForm(@Nullable String name, @Nullable String confirmation) {
}
