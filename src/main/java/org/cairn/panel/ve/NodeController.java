// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The admin's node page, and the same for billing systems: {@code /api/v1/admin/node}, {@code /api/v1/admin/ves}. */
@Controller
class NodeController {

	private final NodeOverview overview;

	private final VeManagement ves;

	private final org.cairn.panel.usage.UsageStore usage;

	private final org.cairn.panel.database.ClusterWatch database;

	private final VeMoves moves;

	private final org.cairn.panel.fleet.FleetNodes nodes;

	private final org.cairn.panel.fleet.FleetEngines engines;

	NodeController(NodeOverview overview, VeManagement ves, org.cairn.panel.usage.UsageStore usage,
			org.cairn.panel.database.ClusterWatch database, VeMoves moves, org.cairn.panel.fleet.FleetNodes nodes,
			org.cairn.panel.fleet.FleetEngines engines) {
		this.moves = moves;
		this.nodes = nodes;
		this.engines = engines;
		this.database = database;
		this.usage = usage;
		this.ves = ves;
		this.overview = overview;
	}

	@GetMapping("/admin/node")
	String node(@org.springframework.web.bind.annotation.RequestParam(name = "node", required = false) String on,
			Model model) {
		model.addAttribute("node", overview.node());
		model.addAttribute("outages", database.outages().reversed());
		model.addAttribute("ves", on(on));
		model.addAttribute("onNode", on == null || on.isBlank() ? null : on);
		model.addAttribute("busiest", overview.busiest(10));
		model.addAttribute("targets", targets());
		return "ve/node";
	}

	/** Where a VE can be moved: the nodes that take VEs (and the panel's own machine when it does). */
	private List<String> targets() {
		List<String> names = new java.util.ArrayList<>();
		if (engines.hasLocalNode()) {
			names.add(VeMoves.LOCAL);
		}
		nodes.all().stream().filter(n -> n.joined() && n.state().equals("active")).forEach(n -> names.add(n.name()));
		return names;
	}

	/** Moves a VE to another node, as a job; the page shows it "moving", then on its new node. */
	@org.springframework.web.bind.annotation.PostMapping("/admin/ves/{veId}/migrate")
	String migrate(@org.springframework.web.bind.annotation.PathVariable long veId,
			@org.springframework.web.bind.annotation.RequestParam(name = "node", defaultValue = "") String node,
			@org.springframework.web.bind.annotation.RequestParam(name = "live", defaultValue = "false") boolean live,
			org.springframework.security.core.Authentication authentication,
			org.springframework.web.servlet.mvc.support.RedirectAttributes redirect) {
		try {
			moves.move(veId, node, live, authentication.getName());
			redirect.addFlashAttribute("moveMessage", "Moving the VE to " + node.strip() + (live ? ", live." : "."));
		}
		catch (org.cairn.panel.system.InputException ex) {
			redirect.addFlashAttribute("moveError", ex.getMessage());
		}
		return "redirect:/admin/node";
	}

	/** Any VE's console, for admins. */
	@GetMapping("/admin/ves/{veId}/console")
	String console(@org.springframework.web.bind.annotation.PathVariable long veId,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String source, Model model) {
		model.addAttribute("ve", ves.summary(ves.any(veId)));
		model.addAttribute("back", "/admin/node");
		model.addAttribute("source", "console".equals(source) ? "console" : "shell");
		return "ve/console";
	}

	/** The node's totals over the last hour, day, week or month, for charts. */
	@GetMapping("/api/v1/admin/node/usage/history")
	@ResponseBody
	org.cairn.panel.usage.UsageHistory usageHistory(
			@org.springframework.web.bind.annotation.RequestParam(name = "range", defaultValue = "hour") String range) {
		return usage.history(org.cairn.panel.usage.UsageSample.NODE, range);
	}

	@GetMapping("/api/v1/admin/node")
	@ResponseBody
	NodeOverview.Node nodeApi() {
		return overview.node();
	}

	/** Every VE with its owner, plan, node and state; {@code ?node=NAME} those on one node ("local": the panel's). */
	@GetMapping("/api/v1/admin/ves")
	@ResponseBody
	List<NodeOverview.AdminVe> vesApi(
			@org.springframework.web.bind.annotation.RequestParam(name = "node", required = false) String on) {
		return on(on);
	}

	private List<NodeOverview.AdminVe> on(String node) {
		return node == null || node.isBlank() ? overview.ves() : overview.ves(node.strip());
	}
}
