// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import org.jspecify.annotations.Nullable;

/** One rule as the page's form has it: allow or drop, a protocol, ports (80 or 8000-8100) and a source prefix. */
public record RuleForm(@Nullable String action, @Nullable String protocol, @Nullable String ports,
		@Nullable String source) implements java.io.Serializable {

	/** The rule in the engine's words, which it checks. */
	String text() {
		StringBuilder text = new StringBuilder(blank(action) ? "" : action.strip()).append(' ')
			.append(blank(protocol) ? "" : protocol.strip());
		if (!blank(ports)) {
			text.append(' ').append(ports.strip());
		}
		if (!blank(source)) {
			text.append(" from ").append(source.strip());
		}
		return text.toString();
	}

	private static boolean blank(@Nullable String text) {
		return text == null || text.isBlank();
	}
}
