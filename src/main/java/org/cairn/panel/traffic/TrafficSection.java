// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.Instant;

import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VePageSection;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/** The VE page's traffic: this period's total against the plan's allowance, the notices, and a chart by day. */
@Component
class TrafficSection implements VePageSection {

	private final TrafficMeter meter;

	TrafficSection(TrafficMeter meter) {
		this.meter = meter;
	}

	@Override
	public void addTo(Ve ve, Model model) {
		TrafficView view = meter.view(ve.getId(), null, Instant.now());
		model.addAttribute("traffic", view);
		long most = view.days().stream().mapToLong(d -> d.rxBytes() + d.txBytes()).max().orElse(0);
		model.addAttribute("trafficMost", Math.max(1, most));
	}
}
