// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.admin;

import org.cairn.panel.account.AccountException;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.CreatedUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.account.UserAccount;
import org.cairn.panel.ve.CustomerLifecycle;
import org.cairn.panel.ve.VeException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admins list, create, edit, suspend and unsuspend users of every role, and reset their passwords. */
@Controller
class AdminUserController {

	private static final String VIEWS_USER_LIST = "admin/users";

	private static final String VIEWS_USER_CREATE_FORM = "admin/userCreate";

	private static final String VIEWS_USER_EDIT_FORM = "admin/userEdit";

	private final AccountManagement accounts;

	private final CustomerLifecycle lifecycle;

	AdminUserController(AccountManagement accounts, CustomerLifecycle lifecycle) {
		this.accounts = accounts;
		this.lifecycle = lifecycle;
	}

	@InitBinder
	void setAllowedFields(WebDataBinder binder) {
		binder.setDisallowedFields("id");
	}

	@GetMapping("/admin/users")
	String list(@RequestParam(name = "q", required = false) String query,
			@RequestParam(name = "role", required = false) Role role, Model model) {
		model.addAttribute("users", accounts.search(query, role));
		model.addAttribute("q", query == null ? "" : query);
		model.addAttribute("role", role);
		model.addAttribute("roles", Role.values());
		return VIEWS_USER_LIST;
	}

	@GetMapping("/admin/users/new")
	String initCreationForm(Model model) {
		model.addAttribute("form", UserForm.empty());
		model.addAttribute("roles", Role.values());
		return VIEWS_USER_CREATE_FORM;
	}

	@PostMapping("/admin/users/new")
	String processCreationForm(@ModelAttribute("form") UserForm form, BindingResult result, Model model,
			RedirectAttributes redirect) {
		if (result.hasErrors()) {
			model.addAttribute("roles", Role.values());
			return VIEWS_USER_CREATE_FORM;
		}
		try {
			CreatedUser created = accounts.create(new org.cairn.panel.account.NewUser(form.username(), form.email(),
					form.roleValue().orElse(null), form.password()));
			redirect.addFlashAttribute("message", "User " + created.account().getUsername() + " created.");
			if (created.oneTimePassword() != null) {
				redirect.addFlashAttribute("oneTimePassword", created.oneTimePassword());
			}
			return "redirect:/admin/users/" + created.account().getId();
		}
		catch (AccountException ex) {
			result.rejectValue(ex.field(), "invalid", ex.getMessage());
			model.addAttribute("roles", Role.values());
			return VIEWS_USER_CREATE_FORM;
		}
	}

	@GetMapping("/admin/users/{id}")
	String initUpdateForm(@PathVariable long id, Model model) {
		UserAccount user = accounts.get(id);
		model.addAttribute("user", user);
		model.addAttribute("form", new UserForm(user.getUsername(), user.getEmail(), user.getRole().name(), ""));
		model.addAttribute("roles", Role.values());
		return VIEWS_USER_EDIT_FORM;
	}

	@PostMapping("/admin/users/{id}")
	String processUpdateForm(@PathVariable long id, @ModelAttribute("form") UserForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		UserAccount user = accounts.get(id);
		if (!result.hasErrors()) {
			try {
				accounts.update(id, form.email(), form.roleValue().orElse(null));
				redirect.addFlashAttribute("message", "User " + user.getUsername() + " saved.");
				return "redirect:/admin/users/" + id;
			}
			catch (AccountException ex) {
				result.rejectValue(ex.field(), "invalid", ex.getMessage());
			}
		}
		model.addAttribute("user", user);
		model.addAttribute("roles", Role.values());
		return VIEWS_USER_EDIT_FORM;
	}

	@PostMapping("/admin/users/{id}/suspend")
	String suspend(@PathVariable long id, @AuthenticationPrincipal SignedInUser admin, RedirectAttributes redirect) {
		try {
			lifecycle.suspend(id, admin.getUsername());
			redirect.addFlashAttribute("message", "User suspended; their sessions have ended and their VEs are frozen.");
		}
		catch (AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/users/" + id;
	}

	@PostMapping("/admin/users/{id}/unsuspend")
	String unsuspend(@PathVariable long id, RedirectAttributes redirect) {
		lifecycle.unsuspend(id);
		redirect.addFlashAttribute("message", "User unsuspended; they can sign in again and their VEs run again.");
		return "redirect:/admin/users/" + id;
	}

	@PostMapping("/admin/users/{id}/terminate")
	String terminate(@PathVariable long id, @RequestParam(name = "confirmation", required = false) String confirmation,
			@AuthenticationPrincipal SignedInUser admin, RedirectAttributes redirect) {
		try {
			int destroyed = lifecycle.terminate(id, admin.getUsername(), confirmation).size();
			redirect.addFlashAttribute("message", "Customer terminated: " + destroyed + " VE(s) being destroyed; the account"
					+ " is suspended.");
		}
		catch (VeException | AccountException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/users/" + id;
	}

	@PostMapping("/admin/users/{id}/reset-password")
	String resetPassword(@PathVariable long id, RedirectAttributes redirect) {
		String password = accounts.resetPassword(id);
		redirect.addFlashAttribute("message", "Password reset; the user must choose a new one at their next sign-in.");
		redirect.addFlashAttribute("oneTimePassword", password);
		return "redirect:/admin/users/" + id;
	}
}
