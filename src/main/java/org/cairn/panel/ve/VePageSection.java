// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.springframework.ui.Model;

/**
 * What another feature adds to a customer's VE page (the backups feature: what the support desk restored),
 * without this package depending on it.
 */
public interface VePageSection {

	void addTo(Ve ve, Model model);
}
