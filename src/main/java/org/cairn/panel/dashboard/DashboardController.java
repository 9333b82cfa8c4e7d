// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dashboard;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.customer.CustomerHoldings;
import org.cairn.panel.ve.NodeOverview;
import org.cairn.panel.ve.VeManagement;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The landing page of each role. */
@Controller
class DashboardController {

	private final AccountManagement accounts;

	private final AuditLog audit;

	private final CustomerHoldings holdings;

	private final VeManagement ves;

	private final NodeOverview node;

	DashboardController(AccountManagement accounts, AuditLog audit, CustomerHoldings holdings, VeManagement ves,
			NodeOverview node) {
		this.accounts = accounts;
		this.audit = audit;
		this.holdings = holdings;
		this.ves = ves;
		this.node = node;
	}

	@GetMapping("/customer")
	String customer(@AuthenticationPrincipal SignedInUser user, Model model) {
		model.addAttribute("holdings", holdings.of(user.id()));
		model.addAttribute("ves", ves.of(user.id()));
		return "dashboard/customer";
	}

	@GetMapping("/support")
	String support(@RequestParam(name = "q", required = false) String query, Model model) {
		if (query != null && !query.isBlank()) {
			model.addAttribute("query", query);
			model.addAttribute("customers", accounts.search(query, Role.CUSTOMER));
			model.addAttribute("ves", node.find(query));
		}
		return "dashboard/support";
	}

	@GetMapping("/admin")
	String admin(Model model) {
		model.addAttribute("customers", accounts.search(null, Role.CUSTOMER).size());
		model.addAttribute("supportStaff", accounts.search(null, Role.SUPPORT).size());
		model.addAttribute("admins", accounts.search(null, Role.ADMIN).size());
		model.addAttribute("recent", audit.find(new AuditFilter(null, null, null, null, null), 0).getContent()
			.stream().limit(10).toList());
		return "dashboard/admin";
	}
}
