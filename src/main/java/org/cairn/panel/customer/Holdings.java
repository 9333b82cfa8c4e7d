// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.util.List;

import org.cairn.panel.plan.PlanView;

/** What a customer may create VEs with: the plans they hold and their quota. */
public record Holdings(long customerId, String username, List<PlanView> plans, Quota quota) {
}
