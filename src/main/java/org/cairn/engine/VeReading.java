// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

/** A running VE's state and what it uses, read together: one round of usage sampling reads a node's all at once. */
public record VeReading(VeStatus status, VeUsage usage) {
}
