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

	/** What the operation names does not exist: a VE, a template, a snapshot, a backup. */
	public static class NotFound extends EngineException {

		public NotFound(String message) {
			super(message);
		}
	}

	/** Another operation holds the VE; the same call can succeed once it has finished. */
	public static class Busy extends EngineException {

		public Busy(String message) {
			super(message);
		}
	}
}
