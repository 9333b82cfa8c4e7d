// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.system.InputException;
import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The support desk's view of a VE: its details and state (nothing about it changes here), its backups, and
 * restores of files and folders with a recorded reason. Every look into a customer's backups is audited.
 */
@Controller
class SupportDeskController {

	private final BackupDesk desk;

	private final VeManagement ves;

	private final AccountManagement accounts;

	private final ApplicationEventPublisher events;

	SupportDeskController(BackupDesk desk, VeManagement ves, AccountManagement accounts,
			ApplicationEventPublisher events) {
		this.desk = desk;
		this.ves = ves;
		this.accounts = accounts;
		this.events = events;
	}

	@GetMapping("/support/ves/{veId}")
	String show(@PathVariable long veId, @RequestParam(name = "job", required = false) Long jobId, Model model) {
		Ve ve = ves.any(veId);
		BackupPages.list(model, ves.summary(ve), "/support/ves/" + veId,
				ve.getStatus() == Ve.Status.READY ? desk.list(ve) : java.util.List.of(), desk.restores(ve, false), true);
		model.addAttribute("owner", accounts.get(ve.getOwnerId()));
		if (jobId != null) {
			model.addAttribute("job", ves.job(jobId));
		}
		return "backup/backups";
	}

	@GetMapping("/support/ves/{veId}/backups/{snapshot}")
	String browse(@PathVariable long veId, @PathVariable String snapshot,
			@RequestParam(name = "path", defaultValue = "/") String path, Model model) {
		Ve ve = ves.any(veId);
		events.publishEvent(AuditedAction.success("SUPPORT_BROWSE", "ve:" + ve.getHostname() + " " + path));
		BackupPages.browse(model, ves.summary(ve), "/support/ves/" + veId, snapshot, path, desk.files(ve, snapshot, path),
				true);
		return "backup/snapshot";
	}

	@PostMapping("/support/ves/{veId}/backups/{snapshot}/restore")
	String restore(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String snapshot,
			@ModelAttribute RestoreForm form, RedirectAttributes redirect) {
		try {
			JobView job = desk.restore(ves.any(veId), snapshot, form, user, true);
			return "redirect:/support/ves/" + veId + "?job=" + job.id();
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/support/ves/" + veId + "/backups/" + snapshot + "?path="
					+ java.net.URLEncoder.encode(form.path() == null ? "/" : BackupDesk.parent(form.path()), java.nio.charset.StandardCharsets.UTF_8);
		}
	}
}
