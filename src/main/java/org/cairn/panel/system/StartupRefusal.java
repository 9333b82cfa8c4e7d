// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

/**
 * A setting Cairn cannot start with (a first admin's password its rules refuse, a data folder it cannot make):
 * reported as one line that names the setting and what to do, with a non-zero exit and no stack trace.
 */
public class StartupRefusal extends RuntimeException {

	public StartupRefusal(String message) {
		super(message);
	}
}
