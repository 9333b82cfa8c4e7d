// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.jspecify.annotations.Nullable;

/** A VE's new host name. */
public record HostnameForm(@Nullable String hostname) {
}
