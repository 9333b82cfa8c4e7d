// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

/** The "change my password" form. */
record PasswordForm(String currentPassword, String newPassword, String confirmPassword) {
}
