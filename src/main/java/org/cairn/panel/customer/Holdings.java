// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.util.List;

import org.cairn.panel.plan.PlanView;

/**
 * What a customer may create VEs with: the plans they hold and their quota, and the node group their new VEs are
 * placed in (null: the plan's, or any node).
 */
public record Holdings(long customerId, String username, List<PlanView> plans, Quota quota,
		@org.jspecify.annotations.Nullable String nodeGroup) {
}
