// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.jspecify.annotations.Nullable;

/**
 * What to restore from a backup: a file or folder in place or into the folder {@code to}; the whole VE with
 * {@code whole} and its host name typed as {@code confirmation}. The support desk gives a {@code reason}.
 */
public record RestoreForm(@Nullable String path, @Nullable String to, @Nullable Boolean whole,
		@Nullable String confirmation, @Nullable String reason) {

	boolean isWhole() {
		return Boolean.TRUE.equals(whole);
	}
}
