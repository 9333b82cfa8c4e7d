// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

/** The "change my password" form; API tokens end with the old password unless {@code keepTokens}. */
record PasswordForm(String currentPassword, String newPassword, String confirmPassword, Boolean keepTokens) {
}
