// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;

/** Writes RFC 9457 problem documents where no MVC machinery runs (security filters). */
final class ProblemResponses {

	private ProblemResponses() {
	}

	/** 503 with Retry-After: the database is away; the client's credentials may be fine. */
	static void unavailable(HttpServletResponse response) throws IOException {
		response.setHeader("Retry-After", ErrorPages.RETRY_AFTER_SECONDS);
		write(response, HttpStatus.SERVICE_UNAVAILABLE,
				"Cairn cannot reach its database right now; Virtual Environments keep running. Try again shortly.");
	}

	static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
		response.setStatus(status.value());
		response.setContentType("application/problem+json");
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":" + status.value()
					+ ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
	}
}
