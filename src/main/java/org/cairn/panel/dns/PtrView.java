// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import org.jspecify.annotations.Nullable;

/** An address of a VE and the name its PTR record gives, or null where none is set. */
public record PtrView(String address, @Nullable String name) {
}
