// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.util.List;

/**
 * A VE's (or the node's) usage over a range, one array per figure, as charts take it: {@code t} in seconds since
 * the epoch, CPU in percent of one CPU, sizes in bytes, rates in bytes per second.
 * @param resolution seconds between samples: 10 for the last hour and day, 300 for the week and month
 */
public record UsageHistory(String range, int resolution, List<Long> t, List<Double> cpu, List<Long> memory,
		List<Long> swap, List<Long> processes, List<Long> disk, List<Double> rx, List<Double> tx, List<Double> read,
		List<Double> write) {
}
