// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.time.Instant;

/**
 * What a VE (or, with the name "", the node) used at one moment; rates are over the time since the sample
 * before. CPU in percent of one CPU.
 */
public record UsageSample(String ve, Instant at, double cpuPercent, long memoryBytes, long swapBytes, long processes,
		long diskUsedBytes, double rxBps, double txBps, double readBps, double writeBps) {

	/** The node's name in samples. */
	public static final String NODE = "";
}
