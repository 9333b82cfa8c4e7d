// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.http.HttpSession;
import org.cairn.panel.account.SignInLockedException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form, with a message that says why the last attempt failed. */
@Controller
class LoginController {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	@GetMapping("/login")
	String login(HttpSession session, Model model) {
		Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		if (failure instanceof SignInLockedException locked) {
			long minutes = Math.max(1, Duration.between(Instant.now(), locked.until()).toSeconds() / 60 + 1);
			model.addAttribute("lockedUntil", TIME.format(locked.until()));
			model.addAttribute("error", "Too many failed sign-ins for this user or address. Sign-in is locked until "
					+ TIME.format(locked.until()) + " (about " + minutes + " min).");
		}
		else if (failure instanceof DisabledException) {
			model.addAttribute("error", "This account is suspended. Contact your hosting provider.");
		}
		else if (failure != null) {
			model.addAttribute("error", "Wrong user name or password.");
		}
		return "login";
	}
}
