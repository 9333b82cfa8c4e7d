// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.cairn.panel.system.InputException;

/** A backup or restore request that cannot be carried out; {@link #field()} names the input at fault. */
public class BackupException extends InputException {

	public BackupException(String field, String message) {
		super(field, message);
	}
}
