// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The admin's nodes page: every node with its capacity, sales, health and VEs; add, drain, remove. */
@Controller
class NodesController {

	private static final String VIEW = "fleet/nodes";

	private final FleetNodes nodes;

	private final FleetOverview overview;

	private final NodeCheckpoints checkpoints;

	NodesController(FleetNodes nodes, FleetOverview overview, NodeCheckpoints checkpoints) {
		this.nodes = nodes;
		this.overview = overview;
		this.checkpoints = checkpoints;
	}

	/** Before a node's reboot: its running VEs saved (and stopped); after it, {@link #restoreAll} brings them back. */
	@PostMapping("/admin/nodes/{id}/checkpoint-all")
	String checkpointAll(@PathVariable long id, org.springframework.security.core.Authentication authentication,
			RedirectAttributes redirect) {
		return report(() -> checkpoints.checkpointAll(id, authentication.getName()), "saved", redirect);
	}

	@PostMapping("/admin/nodes/{id}/restore-all")
	String restoreAll(@PathVariable long id, org.springframework.security.core.Authentication authentication,
			RedirectAttributes redirect) {
		return report(() -> checkpoints.restoreAll(id, authentication.getName()), "restored", redirect);
	}

	private static String report(java.util.function.Supplier<org.cairn.engine.VeCheckpoints.Outcome> action, String verb,
			RedirectAttributes redirect) {
		try {
			org.cairn.engine.VeCheckpoints.Outcome outcome = action.get();
			redirect.addFlashAttribute("message", outcome.done().size() + " VEs " + verb + ".");
			if (!outcome.failed().isEmpty()) {
				StringBuilder why = new StringBuilder("Not " + verb + ": ");
				outcome.failed().forEach((ve, reason) -> why.append(ve).append(" (").append(reason).append(") "));
				redirect.addFlashAttribute("error", why.toString().strip());
			}
		}
		catch (FleetException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/nodes";
	}

	@GetMapping("/admin/nodes")
	String list(Model model) {
		model.addAttribute("nodes", overview.rows());
		return VIEW;
	}

	@PostMapping("/admin/nodes")
	String add(@RequestParam(required = false) String name, @RequestParam(required = false) String address,
			@RequestParam(required = false) String group, Model model, RedirectAttributes redirect) {
		try {
			FleetNodes.AddedNode added = nodes.add(name, address, group);
			String panel = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
			redirect.addFlashAttribute("message", "Node " + added.node().name() + " added. Run this on it within "
					+ FleetNodes.JOIN_WINDOW.toHours() + " hours; the token is shown this once:");
			redirect.addFlashAttribute("joinCommand", "cairn node join " + panel + " " + added.joinToken());
			return "redirect:/admin/nodes";
		}
		catch (FleetException ex) {
			model.addAttribute("nodes", overview.rows());
			model.addAttribute("formError", ex.field() + ": " + ex.getMessage());
			model.addAttribute("name", name);
			model.addAttribute("address", address);
			model.addAttribute("group", group);
			return VIEW;
		}
	}

	@PostMapping("/admin/nodes/{id}/state")
	String state(@PathVariable long id, @RequestParam(required = false) String state, RedirectAttributes redirect) {
		try {
			FleetNode node = nodes.setState(id, state);
			redirect.addFlashAttribute("message", "Node " + node.name() + " is " + node.state() + ".");
		}
		catch (FleetException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/nodes";
	}

	@PostMapping("/admin/nodes/{id}/group")
	String group(@PathVariable long id, @RequestParam(required = false) String group, RedirectAttributes redirect) {
		try {
			FleetNode node = nodes.setGroup(id, group);
			redirect.addFlashAttribute("message", "Node " + node.name() + " is "
					+ (node.group() == null ? "in no group." : "in group " + node.group() + "."));
		}
		catch (FleetException ex) {
			redirect.addFlashAttribute("error", ex.field() + ": " + ex.getMessage());
		}
		return "redirect:/admin/nodes";
	}

	@PostMapping("/admin/nodes/{id}/rotate")
	String rotate(@PathVariable long id, RedirectAttributes redirect) {
		try {
			FleetNode node = nodes.rotate(id);
			redirect.addFlashAttribute("message", "Node " + node.name() + " has a new certificate (SHA-256 "
					+ node.certificateSha256().substring(0, 16) + "...).");
		}
		catch (FleetException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/nodes";
	}

	@PostMapping("/admin/nodes/{id}/remove")
	String remove(@PathVariable long id, RedirectAttributes redirect) {
		try {
			nodes.remove(id);
			redirect.addFlashAttribute("message", "Node removed; the panel no longer talks to it.");
		}
		catch (FleetException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin/nodes";
	}
}
