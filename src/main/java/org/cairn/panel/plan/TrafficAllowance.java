// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

/**
 * A plan's monthly traffic per VE.
 * @param bytes the allowance per billing period; 0 for none (unlimited)
 * @param outOnly whether only what the VE sends counts (else what it sends and receives)
 * @param day the day of the month periods start (1 to 28)
 * @param suspend beyond the allowance the VE is suspended; else what it sends is throttled to {@code throttleBps}
 */
public record TrafficAllowance(long bytes, boolean outOnly, int day, boolean suspend, long throttleBps) {

	public static final TrafficAllowance NONE = new TrafficAllowance(0, false, 1, false, 1_000_000);

	public boolean limited() {
		return bytes > 0;
	}
}
