// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.snapshot;

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

/** A customer's page for their VE's snapshots: list, take, roll back, delete. */
@Controller
class CustomerSnapshotController {

	private final SnapshotDesk desk;

	private final VeManagement ves;

	CustomerSnapshotController(SnapshotDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/customer/ves/{veId}/snapshots")
	String list(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "job", required = false) Long jobId, Model model) {
		Ve ve = ves.owned(user.id(), veId);
		var snapshots = desk.list(ve);
		model.addAttribute("ve", ves.summary(ve));
		model.addAttribute("base", "/customer/ves/" + veId);
		model.addAttribute("snapshots", snapshots);
		model.addAttribute("allowance", desk.allowance(ve));
		model.addAttribute("totalSize", new SnapshotView("", java.time.Instant.EPOCH,
				snapshots.stream().mapToLong(SnapshotView::bytes).sum(), 0).size());
		if (jobId != null) {
			model.addAttribute("job", ves.job(user.id(), jobId));
		}
		return "snapshot/snapshots";
	}

	@PostMapping("/customer/ves/{veId}/snapshots")
	String create(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @ModelAttribute SnapshotForm form,
			RedirectAttributes redirect) {
		return job(veId, redirect, () -> desk.create(ves.owned(user.id(), veId), form));
	}

	@PostMapping("/customer/ves/{veId}/snapshots/{name}/rollback")
	String rollback(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String name,
			@ModelAttribute SnapshotForm form, RedirectAttributes redirect) {
		return job(veId, redirect, () -> desk.rollback(ves.owned(user.id(), veId), name, form));
	}

	@PostMapping("/customer/ves/{veId}/snapshots/{name}/delete")
	String delete(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, @PathVariable String name,
			RedirectAttributes redirect) {
		return job(veId, redirect, () -> desk.delete(ves.owned(user.id(), veId), name));
	}

	private static String job(long veId, RedirectAttributes redirect, java.util.function.Supplier<JobView> work) {
		try {
			return "redirect:/customer/ves/" + veId + "/snapshots?job=" + work.get().id();
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/customer/ves/" + veId + "/snapshots";
		}
	}
}
