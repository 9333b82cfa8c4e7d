// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.jspecify.annotations.Nullable;

/**
 * A user to create.
 * @param password the initial password, or null to generate one that must be changed at first sign-in
 */
public record NewUser(String username, String email, Role role, @Nullable String password) {
}
