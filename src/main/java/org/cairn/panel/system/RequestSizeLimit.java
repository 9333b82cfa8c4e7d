// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * No form or API body of the panel's is larger than a few kilobytes (64 KB of SSH keys at most): a larger one
 * is refused before it is read, with 413 (a page, or a problem document for the API). A template's archive,
 * uploaded to its own endpoint, is streamed to disk and capped there by {@code cairn.templates.max-size}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeLimit extends OncePerRequestFilter {

	private final long maxBytes;

	RequestSizeLimit(@Value("${cairn.request.max-bytes:1048576}") long maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean templateUpload = request.getMethod().equals("PUT")
				&& request.getRequestURI().matches("/api/v1/admin/templates/[^/]+");
		if (!templateUpload && request.getContentLengthLong() > maxBytes) {
			response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
			return;
		}
		chain.doFilter(request, response);
	}
}
