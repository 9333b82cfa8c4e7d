// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

/** How an audited action ended. */
public enum Outcome {
	SUCCESS, FAILURE, DENIED
}
