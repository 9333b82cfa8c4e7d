// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import jakarta.servlet.http.HttpSession;

import org.cairn.panel.system.NotFoundException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The user's sessions page: where they are signed in, and signing out elsewhere. */
@Controller
class SessionController {

	private final AccountSessions sessions;

	SessionController(AccountSessions sessions) {
		this.sessions = sessions;
	}

	@GetMapping("/account/sessions")
	String list(@AuthenticationPrincipal SignedInUser user, HttpSession session, Model model) {
		model.addAttribute("sessions", sessions.of(user, session.getId()));
		return "account/sessions";
	}

	@PostMapping("/account/sessions/{handle}/end")
	String end(@AuthenticationPrincipal SignedInUser user, @PathVariable String handle, RedirectAttributes redirect) {
		if (!sessions.end(user, handle)) {
			throw new NotFoundException("You have no session " + handle);
		}
		redirect.addFlashAttribute("message", "That session is signed out.");
		return "redirect:/account/sessions";
	}

	@PostMapping("/account/sessions/end-others")
	String endOthers(@AuthenticationPrincipal SignedInUser user, HttpSession session, RedirectAttributes redirect) {
		int ended = sessions.endOthers(user, session.getId());
		redirect.addFlashAttribute("message", ended + " other session" + (ended == 1 ? " is" : "s are") + " signed out.");
		return "redirect:/account/sessions";
	}
}
