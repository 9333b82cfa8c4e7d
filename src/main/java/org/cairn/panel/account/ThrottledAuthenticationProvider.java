// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Duration;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Password sign-in against the user table, refused while the user name or the source address is locked,
 * and slowed down after repeated failures. The password is checked before the suspension, so that a
 * stranger learns nothing about an account's state.
 */
@Component
public class ThrottledAuthenticationProvider implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final LoginThrottle throttle;

	ThrottledAuthenticationProvider(AccountManagement accounts, PasswordEncoder passwordEncoder, LoginThrottle throttle) {
		this.passwords = new DaoAuthenticationProvider(username -> accounts.principal(username)
			.orElseThrow(() -> new org.springframework.security.core.userdetails.UsernameNotFoundException(username)));
		this.passwords.setPasswordEncoder(passwordEncoder);
		this.passwords.setPreAuthenticationChecks(user -> {
		});
		this.passwords.setPostAuthenticationChecks(user -> {
			if (!user.isEnabled()) {
				throw new DisabledException("This account is suspended.");
			}
		});
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String username = authentication.getName();
		String address = authentication.getDetails() instanceof WebAuthenticationDetails details
				? details.getRemoteAddress() : "unknown";
		var locked = throttle.lockedUntil(username, address);
		if (locked.isPresent()) {
			throw new SignInLockedException(locked.get(), false);
		}
		try {
			Authentication result = passwords.authenticate(authentication);
			throttle.recordSuccess(username);
			return result;
		}
		catch (BadCredentialsException ex) {
			LoginThrottle.Verdict verdict = throttle.recordFailure(username, address);
			pause(verdict.delay());
			if (verdict.lockStarted().isPresent()) {
				throw new SignInLockedException(verdict.lockStarted().get(), true);
			}
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private static void pause(Duration delay) {
		if (delay.isZero()) {
			return;
		}
		try {
			Thread.sleep(delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
