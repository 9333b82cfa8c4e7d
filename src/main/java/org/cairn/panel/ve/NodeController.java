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

	NodeController(NodeOverview overview) {
		this.overview = overview;
	}

	@GetMapping("/admin/node")
	String node(Model model) {
		model.addAttribute("node", overview.node());
		model.addAttribute("ves", overview.ves());
		return "ve/node";
	}

	@GetMapping("/api/v1/admin/node")
	@ResponseBody
	NodeOverview.Node nodeApi() {
		return overview.node();
	}

	@GetMapping("/api/v1/admin/ves")
	@ResponseBody
	List<NodeOverview.AdminVe> vesApi() {
		return overview.ves();
	}
}
