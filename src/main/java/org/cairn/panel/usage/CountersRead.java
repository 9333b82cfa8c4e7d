// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.time.Instant;
import java.util.List;

/** The network counters of every running VE at one sampling, for what sums them (monthly traffic). */
public record CountersRead(Instant at, List<Reading> readings) {

	/**
	 * A VE's counters as its link counts them: received and sent, bytes since its start.
	 * @param run which run of the VE (its init's pid): a new run has a new link, whose counters start at zero
	 */
	public record Reading(String engineName, long run, long rxBytes, long txBytes) {
	}
}
