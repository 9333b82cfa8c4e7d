// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's page for the node's address pools: list with use, add a range, delete an unused pool. */
@Controller
class IpPoolController {

	private static final String VIEWS_POOLS = "network/pools";

	private final IpPools pools;

	private final org.cairn.panel.fleet.FleetNodes nodes;

	IpPoolController(IpPools pools, org.cairn.panel.fleet.FleetNodes nodes) {
		this.pools = pools;
		this.nodes = nodes;
	}

	@GetMapping("/admin/ip-pools")
	String list(Model model) {
		model.addAttribute("pools", pools.all());
		model.addAttribute("form", new IpPoolForm("", "", "", ""));
		model.addAttribute("nodes", nodeNames());
		return VIEWS_POOLS;
	}

	@PostMapping("/admin/ip-pools")
	String create(@ModelAttribute("form") IpPoolForm form, BindingResult result, Model model, RedirectAttributes redirect) {
		if (!result.hasErrors()) {
			try {
				IpPool pool = pools.create(form);
				redirect.addFlashAttribute("message", "Pool " + pool.name() + " added: " + pool.size() + " addresses.");
				return "redirect:/admin/ip-pools";
			}
			catch (IpPoolException ex) {
				result.rejectValue(ex.field(), "invalid", ex.getMessage());
			}
		}
		model.addAttribute("pools", pools.all());
		model.addAttribute("nodes", nodeNames());
		return VIEWS_POOLS;
	}

	/** The nodes a pool may serve: the panel's own machine, then the fleet's. */
	private java.util.List<String> nodeNames() {
		java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("local"));
		nodes.all().forEach(node -> names.add(node.name()));
		return names;
	}

	@PostMapping("/admin/ip-pools/{poolId}/ptr-check")
	String ptrCheck(@PathVariable long poolId, @org.springframework.web.bind.annotation.RequestParam(name = "on",
			defaultValue = "false") boolean on, RedirectAttributes redirect) {
		IpPool pool = pools.setPtrCheck(poolId, on);
		redirect.addFlashAttribute("message", "Pool " + pool.name() + ": PTR names " + (on ? "must" : "need not")
				+ " resolve back.");
		return "redirect:/admin/ip-pools";
	}

	@PostMapping("/admin/ip-pools/{poolId}/delete")
	String delete(@PathVariable long poolId, RedirectAttributes redirect) {
		try {
			pools.delete(poolId);
			redirect.addFlashAttribute("message", "Pool deleted.");
		}
		catch (IpPoolException | IpPoolNotFoundException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/ip-pools";
	}
}
