// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

/** An engine operation that could not be carried out; the message says why and, where it can, what to do. */
public class EngineException extends RuntimeException {

	public EngineException(String message) {
		super(message);
	}

	public EngineException(String message, Throwable cause) {
		super(message, cause);
	}
}
