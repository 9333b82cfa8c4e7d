// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's pages for plans: list, create, edit, retire and delete. */
@Controller
class PlanController {

	private static final String VIEWS_PLAN_LIST = "plan/plans";

	private static final String VIEWS_PLAN_FORM = "plan/planForm";

	private final PlanCatalog catalog;

	PlanController(PlanCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/admin/plans")
	String list(Model model) {
		model.addAttribute("plans", catalog.all().stream().map(PlanView::of).toList());
		return VIEWS_PLAN_LIST;
	}

	@GetMapping("/admin/plans/new")
	String initCreationForm(Model model) {
		model.addAttribute("form", PlanForm.empty());
		return VIEWS_PLAN_FORM;
	}

	@PostMapping("/admin/plans/new")
	String processCreationForm(@ModelAttribute("form") PlanForm form, BindingResult result, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return VIEWS_PLAN_FORM;
		}
		try {
			Plan plan = catalog.create(form);
			redirect.addFlashAttribute("message", "Plan " + plan.getName() + " created.");
			return "redirect:/admin/plans/" + plan.getId();
		}
		catch (PlanException ex) {
			result.rejectValue(ex.field(), "invalid", ex.getMessage());
			return VIEWS_PLAN_FORM;
		}
	}

	@GetMapping("/admin/plans/{planId}")
	String initUpdateForm(@PathVariable long planId, Model model) {
		Plan plan = catalog.get(planId);
		model.addAttribute("plan", PlanView.of(plan, catalog.holders(planId)));
		model.addAttribute("form", PlanForm.of(plan));
		return VIEWS_PLAN_FORM;
	}

	@PostMapping("/admin/plans/{planId}")
	String processUpdateForm(@PathVariable long planId, @ModelAttribute("form") PlanForm form, BindingResult result,
			Model model, RedirectAttributes redirect) {
		Plan plan = catalog.get(planId);
		if (!result.hasErrors()) {
			try {
				catalog.update(planId, form);
				redirect.addFlashAttribute("message", "Plan " + form.name().strip() + " saved.");
				return "redirect:/admin/plans/" + planId;
			}
			catch (PlanException ex) {
				result.rejectValue(ex.field(), "invalid", ex.getMessage());
			}
		}
		model.addAttribute("plan", PlanView.of(plan, catalog.holders(planId)));
		return VIEWS_PLAN_FORM;
	}

	@PostMapping("/admin/plans/{planId}/retire")
	String retire(@PathVariable long planId, RedirectAttributes redirect) {
		catalog.retire(planId, true);
		redirect.addFlashAttribute("message", "Plan retired: it takes no new VEs.");
		return "redirect:/admin/plans/" + planId;
	}

	@PostMapping("/admin/plans/{planId}/unretire")
	String unretire(@PathVariable long planId, RedirectAttributes redirect) {
		catalog.retire(planId, false);
		redirect.addFlashAttribute("message", "Plan offered again.");
		return "redirect:/admin/plans/" + planId;
	}

	@PostMapping("/admin/plans/{planId}/delete")
	String delete(@PathVariable long planId, RedirectAttributes redirect) {
		try {
			catalog.delete(planId);
			redirect.addFlashAttribute("message", "Plan deleted.");
			return "redirect:/admin/plans";
		}
		catch (PlanException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin/plans/" + planId;
		}
	}
}
