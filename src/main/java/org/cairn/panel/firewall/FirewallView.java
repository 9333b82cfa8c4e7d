// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.util.List;

import org.cairn.engine.firewall.Firewall;

/**
 * A VE's firewall as pages and the API show it.
 * @param allowed how many rules the VE's plan lets it have
 */
public record FirewallView(String policy, boolean icmp, boolean established, List<String> rules, int allowed) {

	static FirewallView of(Firewall firewall, int allowed) {
		return new FirewallView(firewall.policy().name().toLowerCase(java.util.Locale.ROOT), firewall.icmp(),
				firewall.established(), firewall.rules().stream().map(Object::toString).toList(), allowed);
	}
}
