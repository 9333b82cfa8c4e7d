// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Every user changes their own password here; a user with a one-time password must. */
@Controller
class PasswordController {

	private static final String VIEW = "account/password";

	private final AccountManagement accounts;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	PasswordController(AccountManagement accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/account/password")
	String initPasswordForm(Model model) {
		model.addAttribute("form", new PasswordForm("", "", "", false));
		return VIEW;
	}

	@PostMapping("/account/password")
	String processPasswordForm(@AuthenticationPrincipal SignedInUser user, @ModelAttribute("form") PasswordForm form,
			BindingResult result, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		if (form.newPassword() == null || !form.newPassword().equals(form.confirmPassword())) {
			result.rejectValue("confirmPassword", "mismatch", "does not match the new password");
			return VIEW;
		}
		try {
			accounts.changeOwnPassword(user.getUsername(), form.currentPassword(), form.newPassword(), Boolean.TRUE.equals(form.keepTokens()),
					request.getSession().getId());
		}
		catch (AccountException ex) {
			result.rejectValue(ex.field(), "invalid", ex.getMessage());
			return VIEW;
		}
		SignedInUser refreshed = accounts.principal(user.getUsername()).orElseThrow();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(refreshed, null,
				refreshed.getAuthorities()));
		SecurityContextHolder.setContext(context);
		contexts.saveContext(context, request, response);
		redirect.addFlashAttribute("message", "Your password has been changed.");
		return "redirect:" + refreshed.role().dashboard();
	}
}
