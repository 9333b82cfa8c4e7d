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

	/**
	 * The node that holds the VE does not answer, or not as the node it should be. Its VEs go on as they were; an
	 * operation whose answer was lost may have been carried out, which the panel finds out when the node is back.
	 */
	public static class Unreachable extends EngineException {

		private final String node;

		public Unreachable(String node, Throwable cause) {
			super("node " + node + " does not answer (" + why(cause) + "); its VEs keep running; try again when it is"
					+ " back", cause);
			this.node = node;
		}

		public String node() {
			return node;
		}

		/**
		 * Whether the node answered but the TLS handshake failed: its certificate is not the one pinned for it,
		 * has ended, or is of another authority, or the node refused the panel's. Not an outage: a security event.
		 */
		public boolean trustRefused() {
			for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof javax.net.ssl.SSLHandshakeException
						|| cause instanceof java.security.cert.CertificateException) {
					return true;
				}
			}
			return false;
		}

		private static String why(Throwable cause) {
			if (cause instanceof java.net.ConnectException) {
				return "connection refused";
			}
			if (cause instanceof java.net.http.HttpTimeoutException) {
				return "no answer in time";
			}
			if (cause instanceof javax.net.ssl.SSLException) {
				return "TLS refused: " + cause.getMessage();
			}
			return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
		}
	}
}
