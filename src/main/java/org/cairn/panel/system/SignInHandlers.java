// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cairn.panel.account.SignInLockedException;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Component;

/** Where a sign-in leads, and what the audit log remembers of it. */
@Component
class SignInHandlers {

	private final ApplicationEventPublisher events;

	SignInHandlers(ApplicationEventPublisher events) {
		this.events = events;
	}

	void onSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		events.publishEvent(new AuditedAction(authentication.getName(), "LOGIN", "user:" + authentication.getName(),
				Outcome.SUCCESS, null));
		String target = "/";
		if (authentication.getPrincipal() instanceof SignedInUser user) {
			target = user.passwordChangeRequired() ? PasswordChangeRequiredFilter.PASSWORD_PAGE : user.role().dashboard();
		}
		response.sendRedirect(request.getContextPath() + target);
	}

	void onFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		if (DatabaseOutage.isCause(exception)) {
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		String username = request.getParameter("username");
		String actor = username == null || username.isBlank() ? "anonymous" : username.strip();
		AuditedAction action = switch (exception) {
			case SignInLockedException locked when locked.justLocked() -> new AuditedAction(actor, "LOGIN_LOCKED",
					"user:" + actor, Outcome.FAILURE, "too many failed sign-ins; locked until " + locked.until());
			case SignInLockedException locked -> new AuditedAction(actor, "LOGIN", "user:" + actor, Outcome.DENIED,
					"locked until " + locked.until());
			case DisabledException disabled -> new AuditedAction(actor, "LOGIN", "user:" + actor, Outcome.DENIED,
					"account suspended");
			default -> new AuditedAction(actor, "LOGIN", "user:" + actor, Outcome.FAILURE, "wrong user name or password");
		};
		events.publishEvent(action);
		request.getSession().setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, exception);
		response.sendRedirect(request.getContextPath() + "/login?error");
	}

	void onLogout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
		if (authentication != null) {
			events.publishEvent(new AuditedAction(authentication.getName(), "LOGOUT",
					"user:" + authentication.getName(), Outcome.SUCCESS, null));
		}
	}
}
