// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

/** A new token with its secret, shown this once. */
public record CreatedToken(ApiToken token, String secret) {
}
