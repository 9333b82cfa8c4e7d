// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VePageSection;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/** Tells the VE's owner, on the VE's page, what the support desk restored, when and why. */
@Component
class SupportRestoresSection implements VePageSection {

	private final BackupDesk desk;

	SupportRestoresSection(BackupDesk desk) {
		this.desk = desk;
	}

	@Override
	public void addTo(Ve ve, Model model) {
		model.addAttribute("supportRestores", desk.restores(ve, true));
	}
}
