// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.security.cert.X509Certificate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * TLS has checked that the client's certificate comes from the fleet's authority; this lets in only the panel's.
 * Every node holds a certificate of the same authority, and one node must never drive another.
 */
class PanelOnlyFilter extends OncePerRequestFilter {

	/** The name the panel's own certificate carries. */
	static final String PANEL = "CN=cairn-panel";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object certificates = request.getAttribute("jakarta.servlet.request.X509Certificate");
		if (certificates instanceof X509Certificate[] chainOfClient && chainOfClient.length > 0
				&& chainOfClient[0].getSubjectX500Principal().getName().equals(PANEL)) {
			chain.doFilter(request, response);
			return;
		}
		response.sendError(HttpServletResponse.SC_FORBIDDEN, "only the panel may use a node's agent");
	}
}
