// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import org.cairn.panel.account.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every user's page for their personal API tokens: create (the secret shown once), list, revoke. */
@Controller
class TokenController {

	private final ApiTokens tokens;

	TokenController(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@GetMapping("/account/tokens")
	String list(@AuthenticationPrincipal SignedInUser user, Model model) {
		model.addAttribute("tokens", tokens.of(user.id()));
		model.addAttribute("now", java.time.Instant.now());
		return "account/tokens";
	}

	@PostMapping("/account/tokens")
	String create(@AuthenticationPrincipal SignedInUser user, @RequestParam(name = "name", required = false) String name,
			@RequestParam(name = "days", required = false) Integer days, RedirectAttributes redirect) {
		try {
			CreatedToken created = tokens.create(user.id(), user.getUsername(), name, days == null ? 0 : days);
			redirect.addFlashAttribute("secret", created.secret());
			redirect.addFlashAttribute("message", "Token " + created.token().name() + " created: copy it now, it is shown once.");
		}
		catch (TokenException ex) {
			redirect.addFlashAttribute("error", ex.field() + ": " + ex.getMessage());
		}
		return "redirect:/account/tokens";
	}

	@PostMapping("/account/tokens/{tokenId}/revoke")
	String revoke(@AuthenticationPrincipal SignedInUser user, @PathVariable long tokenId, RedirectAttributes redirect) {
		tokens.revoke(user.id(), user.getUsername(), tokenId);
		redirect.addFlashAttribute("message", "Token revoked.");
		return "redirect:/account/tokens";
	}
}
