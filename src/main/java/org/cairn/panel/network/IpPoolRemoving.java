// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

/** A pool is about to go, in the deleting transaction: what hangs on it (its reverse zones) can go first. */
public record IpPoolRemoving(long poolId) {
}
