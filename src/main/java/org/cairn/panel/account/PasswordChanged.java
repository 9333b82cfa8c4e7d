// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

/**
 * A user's password changed (by the user, or reset by an admin). Whatever holds a credential of the user's
 * listens: API tokens end with it unless the user chose to keep them.
 * @param endTokens whether the user's API tokens end too
 * @param reason "password changed" or "password reset by an admin", for the audit log
 */
public record PasswordChanged(long userId, String username, boolean endTokens, String reason) {
}
