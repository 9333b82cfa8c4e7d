// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.cairn.panel.account.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The root sends every user to their own dashboard. */
@Controller
class HomeController {

	@GetMapping("/")
	String home(@AuthenticationPrincipal SignedInUser user) {
		return "redirect:" + user.role().dashboard();
	}
}
