// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.console;

import java.security.Principal;
import java.util.Map;

import org.cairn.panel.account.Role;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.system.NotFoundException;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Who may open a VE's console: its owner and admins, nobody else (another customer gets 404, as for a VE that
 * does not exist). Every opening is audited.
 */
@Component
class ConsoleAccess implements HandshakeInterceptor {

	static final String VE = "ve";

	static final String USER = "user";

	static final String ROWS = "rows";

	static final String COLS = "cols";

	/** "console": the VE's own /dev/console (init's output, a getty); else a login shell on a new terminal. */
	static final String SOURCE = "source";

	private final VeManagement ves;

	private final ApplicationEventPublisher events;

	ConsoleAccess(VeManagement ves, ApplicationEventPublisher events) {
		this.ves = ves;
		this.events = events;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		SignedInUser user = user(request.getPrincipal());
		var query = UriComponentsBuilder.fromUri(request.getURI()).build();
		String path = request.getURI().getPath();
		long veId;
		try {
			veId = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
		}
		catch (NumberFormatException ex) {
			response.setStatusCode(HttpStatus.NOT_FOUND);
			return false;
		}
		if (user == null) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			return false;
		}
		Ve ve;
		try {
			ve = user.role() == Role.ADMIN ? ves.any(veId)
					: user.role() == Role.CUSTOMER ? ves.owned(user.id(), veId) : null;
		}
		catch (NotFoundException ex) {
			events.publishEvent(AuditedAction.failure("VE_CONSOLE_OPEN", "ve:" + veId, "not the user's VE (404)"));
			response.setStatusCode(HttpStatus.NOT_FOUND);
			return false;
		}
		if (ve == null) {
			events.publishEvent(AuditedAction.failure("VE_CONSOLE_OPEN", "ve:" + veId, "the user's role has no console (403)"));
			response.setStatusCode(HttpStatus.FORBIDDEN);
			return false;
		}
		attributes.put(VE, ve);
		attributes.put(USER, user.getUsername());
		attributes.put(ROWS, size(query.getQueryParams().getFirst("rows"), 24));
		attributes.put(COLS, size(query.getQueryParams().getFirst("cols"), 80));
		attributes.put(SOURCE, "console".equals(query.getQueryParams().getFirst("source")) ? "console" : "shell");
		// the opening is audited once the console is open (ConsoleSocket); a refusal after this one, here
		return true;
	}

	/** A handshake refused after this interceptor let it through (a foreign Origin, say) is audited as refused. */
	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
		int status = response instanceof org.springframework.http.server.ServletServerHttpResponse servlet
				? servlet.getServletResponse().getStatus() : 0;
		if (exception != null || status >= 400) {
			String path = request.getURI().getPath();
			events.publishEvent(AuditedAction.failure("VE_CONSOLE_OPEN", "ve:" + path.substring(path.lastIndexOf('/') + 1),
					"handshake refused (" + status + (exception != null ? ", " + exception.getMessage() : "") + ")"));
		}
	}

	private static SignedInUser user(Principal principal) {
		return principal instanceof Authentication authentication
				&& authentication.getPrincipal() instanceof SignedInUser user ? user : null;
	}

	static int size(String text, int fallback) {
		try {
			int value = Integer.parseInt(text);
			return value >= 1 && value <= 1000 ? value : fallback;
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}
}
