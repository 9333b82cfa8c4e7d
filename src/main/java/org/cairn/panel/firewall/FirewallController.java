// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.util.ArrayList;
import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.system.InputException;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The firewall pages: a customer's VE's rules, and the node's rules for admins. */
@Controller
class FirewallController {

	private final FirewallDesk desk;

	private final VeManagement ves;

	FirewallController(FirewallDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/customer/ves/{veId}/firewall")
	String page(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, Model model) {
		Ve ve = ves.owned(user.id(), veId);
		model.addAttribute("ve", ves.summary(ve));
		model.addAttribute("firewall", desk.view(ve));
		model.addAttribute("base", "/customer/ves/" + veId + "/firewall");
		return "firewall/firewall";
	}

	@PostMapping("/customer/ves/{veId}/firewall/settings")
	String settings(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "policy", required = false) String policy,
			@RequestParam(name = "icmp", defaultValue = "false") boolean icmp,
			@RequestParam(name = "established", defaultValue = "false") boolean established, RedirectAttributes redirect) {
		return change(veId, redirect, () -> desk.replace(ves.owned(user.id(), veId),
				new FirewallForm(policy == null ? "" : policy, icmp, established, null)));
	}

	@PostMapping("/customer/ves/{veId}/firewall/rules")
	String add(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @ModelAttribute RuleForm form,
			RedirectAttributes redirect) {
		redirect.addFlashAttribute("rule", form);
		return change(veId, redirect, () -> desk.addRule(ves.owned(user.id(), veId), form));
	}

	@PostMapping("/customer/ves/{veId}/firewall/rules/{number}/delete")
	String delete(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable int number,
			RedirectAttributes redirect) {
		return change(veId, redirect, () -> desk.deleteRule(ves.owned(user.id(), veId), number));
	}

	private static String change(long veId, RedirectAttributes redirect, Runnable work) {
		try {
			work.run();
			redirect.addFlashAttribute("saved", true);
			redirect.getFlashAttributes().remove("rule");
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			redirect.addFlashAttribute("errorField", ex.field());
		}
		return "redirect:/customer/ves/" + veId + "/firewall";
	}

	@GetMapping("/admin/firewall")
	String nodePage(Model model) {
		model.addAttribute("rules", desk.nodeRules());
		return "firewall/node";
	}

	@PostMapping("/admin/firewall/rules")
	String addNodeRule(@RequestParam(name = "rule", defaultValue = "") String rule, RedirectAttributes redirect) {
		List<String> rules = new ArrayList<>(desk.nodeRules());
		rules.add(rule);
		return changeNode(redirect, rules, rule);
	}

	@PostMapping("/admin/firewall/rules/{number}/delete")
	String deleteNodeRule(@PathVariable int number, RedirectAttributes redirect) {
		List<String> rules = new ArrayList<>(desk.nodeRules());
		if (number >= 1 && number <= rules.size()) {
			rules.remove(number - 1);
		}
		return changeNode(redirect, rules, null);
	}

	private String changeNode(RedirectAttributes redirect, List<String> rules, String typed) {
		try {
			desk.replaceNodeRules(rules);
			redirect.addFlashAttribute("saved", true);
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			redirect.addFlashAttribute("typed", typed);
		}
		return "redirect:/admin/firewall";
	}
}
