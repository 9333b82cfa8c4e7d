// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.panel.ve.VeSummary;
import org.springframework.ui.Model;

/** What the customer's and the support desk's backup pages share: the same pages under another base. */
final class BackupPages {

	private BackupPages() {
	}

	static void list(Model model, VeSummary ve, String base, List<Snapshot> snapshots, List<RestoreView> restores,
			boolean support) {
		model.addAttribute("ve", ve);
		model.addAttribute("base", base);
		model.addAttribute("snapshots", snapshots);
		model.addAttribute("restores", restores);
		model.addAttribute("support", support);
	}

	static void browse(Model model, VeSummary ve, String base, String snapshot, String path, List<SnapshotEntry> entries,
			boolean support) {
		model.addAttribute("ve", ve);
		model.addAttribute("base", base);
		model.addAttribute("snapshot", snapshot);
		model.addAttribute("path", path);
		model.addAttribute("crumbs", crumbs(path));
		model.addAttribute("entries", entries);
		model.addAttribute("support", support);
	}

	/** "/", "/etc", "/etc/nginx" for "/etc/nginx": each a link on the page. */
	static List<String> crumbs(String path) {
		List<String> crumbs = new ArrayList<>(List.of("/"));
		StringBuilder at = new StringBuilder();
		for (String part : path.split("/")) {
			if (!part.isEmpty()) {
				at.append('/').append(part);
				crumbs.add(at.toString());
			}
		}
		return crumbs;
	}
}
