// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.jspecify.annotations.Nullable;

/** Root's new password and/or SSH public key (which replaces the authorized keys). */
public record RootAccessForm(@Nullable String rootPassword, @Nullable String sshKey) {
}
