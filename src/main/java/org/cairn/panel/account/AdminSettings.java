// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first admin, created when the database has none.
 * @param password set by {@code CAIRN_ADMIN_PASSWORD} for unattended installs; a random one-time password
 * otherwise
 */
@ConfigurationProperties("cairn.admin")
record AdminSettings(@DefaultValue("admin") String username, @DefaultValue("admin@localhost") String email,
		@Nullable String password) {
}
