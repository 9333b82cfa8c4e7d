// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

/** PostgreSQL cannot be reached or started; the message says what to do about it. */
public class DatabaseUnavailableException extends RuntimeException {

	public DatabaseUnavailableException(String message) {
		super(message);
	}
}
