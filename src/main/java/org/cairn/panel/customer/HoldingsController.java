// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import org.cairn.panel.plan.PlanCatalog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's page for a customer's plans and quota. */
@Controller
class HoldingsController {

	private static final String VIEWS_HOLDINGS_FORM = "customer/holdings";

	private final CustomerHoldings holdings;

	private final PlanCatalog plans;

	HoldingsController(CustomerHoldings holdings, PlanCatalog plans) {
		this.holdings = holdings;
		this.plans = plans;
	}

	@GetMapping("/admin/users/{id}/plans")
	String initForm(@PathVariable long id, Model model) {
		Holdings current = holdings.of(id);
		model.addAttribute("form", HoldingsForm.of(current));
		return show(current, model);
	}

	@PostMapping("/admin/users/{id}/plans")
	String processForm(@PathVariable long id, @ModelAttribute("form") HoldingsForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		Holdings current = holdings.of(id);
		if (!result.hasErrors()) {
			try {
				holdings.set(id, form);
				redirect.addFlashAttribute("message", "Plans and quota of " + current.username() + " saved.");
				return "redirect:/admin/users/" + id + "/plans";
			}
			catch (CustomerException ex) {
				result.rejectValue(ex.field(), "invalid", ex.getMessage());
			}
		}
		return show(current, model);
	}

	private String show(Holdings current, Model model) {
		model.addAttribute("holdings", current);
		model.addAttribute("plans", plans.all().stream().map(plans::view).toList());
		return VIEWS_HOLDINGS_FORM;
	}
}
