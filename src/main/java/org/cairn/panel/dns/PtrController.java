// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.system.InputException;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The reverse DNS page of a customer's VE: each address with its PTR name, set or cleared in place. */
@Controller
class PtrController {

	private final PtrDesk desk;

	private final VeManagement ves;

	PtrController(PtrDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/customer/ves/{veId}/ptr")
	String page(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId, Model model) {
		Ve ve = ves.owned(user.id(), veId);
		model.addAttribute("ve", ves.summary(ve));
		model.addAttribute("records", desk.list(ve));
		model.addAttribute("off", desk.offReason().orElse(null));
		return "dns/ptr";
	}

	@PostMapping("/customer/ves/{veId}/ptr")
	String set(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "address", defaultValue = "") String address,
			@RequestParam(name = "name", defaultValue = "") String name, RedirectAttributes redirect) {
		try {
			Ve ve = ves.owned(user.id(), veId);
			if (name.isBlank()) {
				desk.clear(ve, address);
			}
			else {
				desk.set(ve, address, name);
			}
			redirect.addFlashAttribute("saved", address);
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			redirect.addFlashAttribute("errorAddress", address);
			redirect.addFlashAttribute("typed", name);
		}
		return "redirect:/customer/ves/" + veId + "/ptr";
	}
}
