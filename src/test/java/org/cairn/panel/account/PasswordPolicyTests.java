// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTests {

	@Test
	void refusesShortCommonRepetitiveAndNameBasedPasswords() {
		assertThat(PasswordPolicy.violation("short-pw1", "alice")).hasValueSatisfying(m -> assertThat(m).contains("12"));
		assertThat(PasswordPolicy.violation("Password1234", "alice")).hasValueSatisfying(m -> assertThat(m).contains("common"));
		assertThat(PasswordPolicy.violation("aaaaaaaaaaaaaa", "alice")).isPresent();
		assertThat(PasswordPolicy.violation("abcdefghijklmnop", "alice")).isPresent();
		assertThat(PasswordPolicy.violation("alice-secret-77", "alice")).hasValueSatisfying(m -> assertThat(m).contains("user name"));
		assertThat(PasswordPolicy.violation("x".repeat(129) + "yz", "alice")).isPresent();
	}

	@Test
	void acceptsALongUncommonPassword() {
		assertThat(PasswordPolicy.violation("Granite-Ledge-Walk-93", "alice")).isEmpty();
	}
}
