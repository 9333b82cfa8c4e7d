// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.cairn.panel.audit.AuditEntry;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The admin's view of the audit log, filtered by actor, action, outcome and dates. */
@Controller
class AuditController {

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/admin/audit")
	String list(@RequestParam(defaultValue = "") String actor, @RequestParam(defaultValue = "") String action,
			@RequestParam(defaultValue = "") String outcome, @RequestParam(defaultValue = "") String from,
			@RequestParam(defaultValue = "") String until, @RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("actor", actor);
		model.addAttribute("action", action);
		model.addAttribute("outcome", outcome);
		model.addAttribute("from", from);
		model.addAttribute("until", until);
		model.addAttribute("outcomes", Outcome.values());
		Outcome outcomeValue = null;
		java.time.Instant fromValue = null;
		java.time.Instant untilValue = null;
		try {
			outcomeValue = outcome.isEmpty() ? null : Outcome.valueOf(outcome);
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("filterError", "outcome must be one of SUCCESS, FAILURE, DENIED");
		}
		try {
			fromValue = from.isEmpty() ? null : LocalDate.parse(from).atStartOfDay().toInstant(ZoneOffset.UTC);
			untilValue = until.isEmpty() ? null
					: LocalDate.parse(until).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			model.addAttribute("filterError", "from and until must be dates such as 2026-11-25");
		}
		Page<AuditEntry> entries = audit.find(new AuditFilter(actor, action, outcomeValue, fromValue, untilValue), page);
		model.addAttribute("entries", entries);
		return "admin/audit";
	}
}
