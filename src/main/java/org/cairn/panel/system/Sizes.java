// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.stereotype.Component;

/** Sizes as people read them on pages ({@code ${@sizes.text(bytes)}}): a VE using 300 KB does not show "0 MB". */
@Component("sizes")
public class Sizes {

	public String text(long bytes) {
		if (bytes < 1024 * 1024) {
			return Math.max(0, (bytes + 1023) / 1024) + " KB";
		}
		if (bytes < 10L * 1024 * 1024 * 1024) {
			return (bytes + (1 << 19)) / (1 << 20) + " MB";
		}
		return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
	}
}
