// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.Locale;
import java.util.Optional;

/** What {@code POST .../actions/{action}} may ask of a VE; anything else is refused and audited as refused. */
enum VeAction {

	START, STOP, RESTART, SUSPEND, RESUME;

	static Optional<VeAction> parse(String name) {
		for (VeAction action : values()) {
			if (action.name().toLowerCase(Locale.ROOT).equals(name)) {
				return Optional.of(action);
			}
		}
		return Optional.empty();
	}

	/** The audit log's name for it, from this fixed set. */
	String audited() {
		return "VE_" + name();
	}

	/** stop and restart wait for the VE's init: they run as jobs. */
	boolean long_running() {
		return this == STOP || this == RESTART;
	}
}
