// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

/** A joined node answered the panel's health check: what the fleet keeps on every node can be checked there. */
public record NodeAnswered(long nodeId, String name) {
}
