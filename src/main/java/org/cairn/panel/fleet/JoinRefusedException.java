// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

/**
 * A join the panel refuses: a token that is unknown, spent or expired. The caller learns no more than that (which
 * of the three would help a guesser); the audit log says which.
 */
public class JoinRefusedException extends RuntimeException {

	public JoinRefusedException() {
		super("join: this token is unknown, used or expired; ask the admin for a new one");
	}
}
