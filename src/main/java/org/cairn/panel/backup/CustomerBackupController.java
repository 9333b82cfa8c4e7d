// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.system.InputException;
import org.cairn.panel.ve.JobView;
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

/** A customer's pages for their VE's backups: list, back up now, browse, restore. */
@Controller
class CustomerBackupController {

	private final BackupDesk desk;

	private final VeManagement ves;

	CustomerBackupController(BackupDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/customer/ves/{veId}/backups")
	String list(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "job", required = false) Long jobId, Model model) {
		Ve ve = ves.owned(user.id(), veId);
		BackupPages.list(model, ves.summary(ve), "/customer/ves/" + veId, desk.list(ve), desk.restores(ve, false), false);
		if (jobId != null) {
			model.addAttribute("job", ves.job(user.id(), jobId));
		}
		return "backup/backups";
	}

	@PostMapping("/customer/ves/{veId}/backups")
	String backUp(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, RedirectAttributes redirect) {
		try {
			JobView job = desk.backUp(ves.owned(user.id(), veId));
			return "redirect:/customer/ves/" + veId + "/backups?job=" + job.id();
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/customer/ves/" + veId + "/backups";
		}
	}

	@GetMapping("/customer/ves/{veId}/backups/{snapshot}")
	String browse(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String snapshot,
			@RequestParam(name = "path", defaultValue = "/") String path, Model model) {
		Ve ve = ves.owned(user.id(), veId);
		BackupPages.browse(model, ves.summary(ve), "/customer/ves/" + veId, snapshot, path,
				desk.files(ve, snapshot, path), false);
		return "backup/snapshot";
	}

	@PostMapping("/customer/ves/{veId}/backups/{snapshot}/restore")
	String restore(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String snapshot,
			@ModelAttribute RestoreForm form, RedirectAttributes redirect) {
		try {
			JobView job = desk.restore(ves.owned(user.id(), veId), snapshot, form, user, false);
			return "redirect:/customer/ves/" + veId + "/backups?job=" + job.id();
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/customer/ves/" + veId + "/backups";
		}
	}
}
