// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.jspecify.annotations.Nullable;

/**
 * A user just created.
 * @param oneTimePassword the generated password, to be shown once; null when the caller chose one
 */
public record CreatedUser(UserAccount account, @Nullable String oneTimePassword) {
}
