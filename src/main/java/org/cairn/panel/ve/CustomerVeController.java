// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.customer.CustomerHoldings;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A customer's pages for their VEs: create one, see it, start, stop, restart, suspend, resume, destroy. */
@Controller
class CustomerVeController {

	private static final String VIEWS_VE_CREATE_FORM = "ve/create";

	private static final String VIEWS_VE_DETAILS = "ve/details";

	private final VeManagement management;

	private final CustomerHoldings holdings;

	private final java.util.List<VePageSection> sections;

	CustomerVeController(VeManagement management, CustomerHoldings holdings, java.util.List<VePageSection> sections) {
		this.sections = sections;
		this.management = management;
		this.holdings = holdings;
	}

	@GetMapping("/customer/ves/new")
	String initCreationForm(@AuthenticationPrincipal SignedInUser user, Model model) {
		model.addAttribute("form", NewVeForm.empty());
		return showCreationForm(user, model);
	}

	private String showCreationForm(SignedInUser user, Model model) {
		model.addAttribute("plans", holdings.of(user.id()).plans().stream().filter(p -> !p.retired()).toList());
		model.addAttribute("templates", management.offeredTemplates(user.id()));
		return VIEWS_VE_CREATE_FORM;
	}

	@PostMapping("/customer/ves/new")
	String processCreationForm(@AuthenticationPrincipal SignedInUser user, @ModelAttribute("form") NewVeForm form,
			BindingResult result, Model model) {
		if (!result.hasErrors()) {
			try {
				JobView job = management.create(user.id(), form);
				return "redirect:/customer/ves/" + job.veId() + "?job=" + job.id();
			}
			catch (VeException ex) {
				ex.problems().forEach(problem -> result.rejectValue(problem.field(), "invalid", problem.message()));
			}
		}
		return showCreationForm(user, model);
	}

	@GetMapping("/customer/ves/{veId}")
	String show(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "job", required = false) Long jobId, Model model) {
		Ve ve = management.owned(user.id(), veId);
		model.addAttribute("ve", management.summary(ve));
		model.addAttribute("templates", management.offeredTemplates(ve));
		sections.forEach(section -> section.addTo(ve, model));
		if (jobId != null) {
			model.addAttribute("job", management.job(user.id(), jobId));
		}
		return VIEWS_VE_DETAILS;
	}

	@PostMapping("/customer/ves/{veId}/actions/{action}")
	String act(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String action,
			RedirectAttributes redirect) {
		try {
			Object result = management.act(user.id(), veId, action);
			if (result instanceof JobView job) {
				return "redirect:/customer/ves/" + veId + "?job=" + job.id();
			}
			redirect.addFlashAttribute("message", "Done: " + action + ".");
		}
		catch (VeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/customer/ves/" + veId;
	}

	@GetMapping("/customer/ves/{veId}/console")
	String console(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String source, Model model) {
		model.addAttribute("ve", management.get(user.id(), veId));
		model.addAttribute("back", "/customer/ves/" + veId);
		model.addAttribute("source", "console".equals(source) ? "console" : "shell");
		return "ve/console";
	}

	@PostMapping("/customer/ves/{veId}/reinstall")
	String reinstall(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@ModelAttribute ReinstallForm form, RedirectAttributes redirect) {
		try {
			JobView job = management.reinstall(user.id(), veId, form);
			return "redirect:/customer/ves/" + veId + "?job=" + job.id();
		}
		catch (VeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/customer/ves/" + veId;
		}
	}

	@PostMapping("/customer/ves/{veId}/root-access")
	String rootAccess(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@ModelAttribute RootAccessForm form, RedirectAttributes redirect) {
		return asJob(redirect, veId, () -> management.setRootAccess(user.id(), veId, form));
	}

	@PostMapping("/customer/ves/{veId}/hostname")
	String hostname(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "hostname", required = false) String hostname, RedirectAttributes redirect) {
		return asJob(redirect, veId, () -> management.rename(user.id(), veId, hostname));
	}

	/** A change that runs as a job: the VE's page follows it; a refusal is said at once. */
	private static String asJob(RedirectAttributes redirect, long veId, java.util.function.Supplier<JobView> change) {
		try {
			return "redirect:/customer/ves/" + veId + "?job=" + change.get().id();
		}
		catch (VeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/customer/ves/" + veId;
	}

	@PostMapping("/customer/ves/{veId}/destroy")
	String destroy(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "confirmation", required = false) String confirmation, RedirectAttributes redirect) {
		try {
			JobView job = management.destroy(user.id(), veId, confirmation);
			redirect.addFlashAttribute("message", "Destroying " + job.ve() + ".");
			return "redirect:/customer";
		}
		catch (VeException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/customer/ves/" + veId;
		}
	}
}
