// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

/** An admin switched a plan's nesting flag: its VEs follow, from their next start. */
public record PlanNestingChanged(long planId, String plan, boolean nesting, String actor) {
}
