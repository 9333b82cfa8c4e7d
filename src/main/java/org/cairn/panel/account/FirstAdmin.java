// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Creates the first admin on a new install and prints how to sign in, once. */
@Component
class FirstAdmin implements ApplicationRunner {

	private static final Log log = LogFactory.getLog(FirstAdmin.class);

	private final AccountManagement accounts;

	private final AdminSettings settings;

	private final Environment environment;

	FirstAdmin(AccountManagement accounts, AdminSettings settings, Environment environment) {
		this.accounts = accounts;
		this.settings = settings;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (accounts.adminExists()) {
			return;
		}
		boolean chosen = settings.password() != null && !settings.password().isEmpty();
		String password = chosen ? settings.password() : accounts.generatePassword();
		try {
			accounts.createFirstAdmin(settings.username(), settings.email(), password, !chosen);
		}
		catch (AccountException ex) {
			throw new org.cairn.panel.system.StartupRefusal("CAIRN_ADMIN_PASSWORD (cairn.admin.password) " + ex.getMessage()
					+ "; set another, or unset it to get a one-time password");
		}
		log.info("Created the first admin '" + settings.username() + "'");
		String url = "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/login";
		System.out.println();
		System.out.println("==================================================================");
		System.out.println("  Cairn's first admin");
		System.out.println("    user name: " + settings.username());
		System.out.println("    password:  " + (chosen ? "(the one set in CAIRN_ADMIN_PASSWORD)" : password));
		System.out.println("  Sign in at " + url);
		if (!chosen) {
			System.out.println("  This password is shown only once; you will choose your own at first sign-in.");
		}
		System.out.println("==================================================================");
		System.out.println();
	}
}
