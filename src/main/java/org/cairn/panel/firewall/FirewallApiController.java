// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.cairn.panel.ve.VeManagement;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A customer's VE firewall, and the node's rules for admins, through the API; changes apply at once (200). */
@RestController
class FirewallApiController {

	private final FirewallDesk desk;

	private final VeManagement ves;

	FirewallApiController(FirewallDesk desk, VeManagement ves) {
		this.desk = desk;
		this.ves = ves;
	}

	@GetMapping("/api/v1/ves/{veId}/firewall")
	FirewallView firewall(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId) {
		return desk.view(ves.owned(user.id(), veId));
	}

	@PutMapping("/api/v1/ves/{veId}/firewall")
	FirewallView replace(@AuthenticationPrincipal SignedInUser user, @PathVariable long veId,
			@RequestBody(required = false) @Nullable FirewallForm form) {
		return desk.replace(ves.owned(user.id(), veId), form == null ? new FirewallForm(null, null, null, null) : form);
	}

	/** The node-wide rules: {@code {"rules":["out drop tcp 25"]}}. */
	record NodeRules(@Nullable List<String> rules) {
	}

	/** {@code {"exempt":true}}: the node-wide rules pass over the VE. */
	record Exemption(@Nullable Boolean exempt) {
	}

	@GetMapping("/api/v1/admin/ves/{veId}/node-rules")
	Exemption exemption(@PathVariable long veId) {
		return new Exemption(desk.exempt(ves.any(veId)));
	}

	@PutMapping("/api/v1/admin/ves/{veId}/node-rules")
	Exemption setExemption(@PathVariable long veId, @RequestBody Exemption body) {
		if (body.exempt() == null) {
			throw new FirewallException("exempt", "true or false");
		}
		desk.setExempt(ves.any(veId), body.exempt());
		return new Exemption(desk.exempt(ves.any(veId)));
	}

	@GetMapping("/api/v1/admin/firewall")
	NodeRules nodeRules() {
		return new NodeRules(desk.nodeRules());
	}

	@PutMapping("/api/v1/admin/firewall")
	NodeRules replaceNodeRules(@RequestBody NodeRules body) {
		if (body.rules() == null) {
			throw new FirewallException("rules", "give the list of rules, such as [\"out drop tcp 25\"]; [] for none");
		}
		return new NodeRules(desk.replaceNodeRules(body.rules()));
	}
}
