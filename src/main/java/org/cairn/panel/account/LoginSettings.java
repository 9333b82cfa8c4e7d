// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed sign-ins are throttled, per user name and per source address.
 * @param slowdownAfter failures after which every further attempt is delayed
 * @param slowdown the delay added per failure beyond {@code slowdownAfter} (at most 5 of them)
 * @param maxFailures failures within {@code window} that lock sign-in for {@code lockDuration}
 */
@ConfigurationProperties("cairn.login")
record LoginSettings(@DefaultValue("3") int slowdownAfter, @DefaultValue("1s") Duration slowdown,
		@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration window,
		@DefaultValue("15m") Duration lockDuration) {
}
