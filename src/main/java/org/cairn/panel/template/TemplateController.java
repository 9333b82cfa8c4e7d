// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import org.cairn.panel.account.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's templates page: which are built, (re)build one, and follow its build's log. */
@Controller
class TemplateController {

	private final TemplateBuilds builds;

	private final TemplateOffers offers;

	TemplateController(TemplateBuilds builds, TemplateOffers offers) {
		this.builds = builds;
		this.offers = offers;
	}

	@PostMapping("/admin/templates/{template}/{visibility:hide|show}")
	String visibility(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name,
			@PathVariable("visibility") String visibility) {
		offers.setHidden(name, visibility.equals("hide"), user.getUsername());
		return "redirect:/admin/templates";
	}

	@GetMapping("/admin/templates")
	String list(Model model) {
		model.addAttribute("templates", builds.all());
		return "template/templates";
	}

	@GetMapping("/admin/templates/{template}/build")
	String build(@PathVariable("template") String name,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String node, Model model) {
		model.addAttribute("build", builds.build(name, node));
		model.addAttribute("node", node == null || node.isBlank() ? "local" : node);
		return "template/build";
	}

	@PostMapping("/admin/templates/{template}/delete")
	String delete(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name,
			RedirectAttributes redirect) {
		try {
			builds.delete(name, user.getUsername());
			redirect.addFlashAttribute("message", "Deleted the template " + name);
		}
		catch (TemplateException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/templates";
	}

	@PostMapping("/admin/templates/{template}/build")
	String start(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String node, RedirectAttributes redirect) {
		try {
			builds.start(name, node, user.getUsername());
			redirect.addAttribute("node", node == null || node.isBlank() ? "local" : node);
			return "redirect:/admin/templates/" + name + "/build";
		}
		catch (TemplateException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin/templates";
		}
	}
}
