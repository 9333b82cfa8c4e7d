// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.jspecify.annotations.Nullable;

/** A reinstall: the template, root's new password or SSH key, and the VE's host name typed to confirm. */
public record ReinstallForm(@Nullable String template, @Nullable String rootPassword, @Nullable String sshKey,
		@Nullable String confirmation) {
}
