// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.cairn.panel.account.SignedInUser;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user into every page's model, for the navigation bar. */
@ControllerAdvice
class CurrentUserAdvice {

	@ModelAttribute("currentUser")
	SignedInUser currentUser() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof SignedInUser user ? user : null;
	}
}
