// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import com.sun.security.auth.module.UnixSystem;

final class Processes {

	private Processes() {
	}

	static boolean isRoot() {
		return new UnixSystem().getUid() == 0;
	}
}
