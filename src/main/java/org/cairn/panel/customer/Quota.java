// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.math.BigDecimal;

/**
 * How much of the node a customer may use across all their VEs; 0 means no limit beyond their plans.
 * @param maxVes how many VEs at once
 */
public record Quota(int maxVes, long memoryBytes, long diskBytes, BigDecimal cpus) {

	public static final Quota NONE = new Quota(0, 0, 0, BigDecimal.ZERO);
}
