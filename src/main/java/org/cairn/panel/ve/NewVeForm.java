// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.jspecify.annotations.Nullable;

/** A customer's new VE: a plan they hold, a template, a host name, and a root password or an SSH public key. */
public record NewVeForm(@Nullable Long plan, @Nullable String template, @Nullable String hostname,
		@Nullable String rootPassword, @Nullable String sshKey) {

	static NewVeForm empty() {
		return new NewVeForm(null, "busybox", "", "", "");
	}
}
