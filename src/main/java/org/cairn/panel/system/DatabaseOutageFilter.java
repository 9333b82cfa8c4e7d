// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import javax.sql.DataSource;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While PostgreSQL is away, requests that need it get a 503 page instead of a 500 with a stack trace;
 * the connection pool reconnects by itself when the server is back.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseOutageFilter extends OncePerRequestFilter {

	private static final Log log = LogFactory.getLog(DatabaseOutageFilter.class);

	private final DataSource dataSource;

	DatabaseOutageFilter(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!DatabaseOutage.isCause(ex, dataSource)) {
				throw ex;
			}
			log.warn("PostgreSQL is unavailable; answered " + request.getRequestURI() + " with 503: " + rootMessage(ex));
			if (!response.isCommitted()) {
				if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
					ProblemResponses.unavailable(response);
				}
				else {
					response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
				}
			}
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}
}
