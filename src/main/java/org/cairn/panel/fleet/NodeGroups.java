// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import org.jspecify.annotations.Nullable;

/**
 * Node groups: a label that nodes share (a data centre, a class of hardware). A plan or a customer pinned to a group
 * gets new VEs only on its nodes; an address pool of a group serves every node in it. A group exists while a node,
 * plan, customer or pool names it.
 */
public final class NodeGroups {

	private NodeGroups() {
	}

	/** The group typed into {@code field}, checked; null when blank (no group). */
	public static @Nullable String parse(String field, @Nullable String text) {
		String group = text == null ? "" : text.strip();
		if (group.isEmpty()) {
			return null;
		}
		if (!group.matches("[a-z0-9][a-z0-9-]{0,39}")) {
			throw new FleetException(field, "a node group is 1 to 40 lower-case letters, digits or '-', or empty for none");
		}
		return group;
	}
}
