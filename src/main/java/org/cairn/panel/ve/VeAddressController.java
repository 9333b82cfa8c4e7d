// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.system.InputException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Addresses of a VE's prefixes on its link: the VE page's forms (the API: {@link VeAddressApiController}). */
@Controller
class VeAddressController {

	private final VeAddresses addresses;

	private final VeManagement ves;

	VeAddressController(VeAddresses addresses, VeManagement ves) {
		this.addresses = addresses;
		this.ves = ves;
	}

	@PostMapping("/customer/ves/{veId}/addresses")
	String addFromPage(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "address", defaultValue = "") String address, RedirectAttributes redirect) {
		return page(veId, redirect, () -> addresses.add(ves.owned(user.id(), veId), address));
	}

	@PostMapping("/customer/ves/{veId}/addresses/delete")
	String removeFromPage(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestParam(name = "address", defaultValue = "") String address, RedirectAttributes redirect) {
		return page(veId, redirect, () -> addresses.remove(ves.owned(user.id(), veId), address));
	}

	private static String page(long veId, RedirectAttributes redirect, Runnable work) {
		try {
			work.run();
		}
		catch (InputException ex) {
			redirect.addFlashAttribute("addressError", ex.getMessage());
		}
		return "redirect:/customer/ves/" + veId;
	}
}
