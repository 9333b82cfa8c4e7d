// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.cairn.panel.audit.AuditedAction;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, changing, suspending and re-keying the panel's users; every change is audited. */
@Service
public class AccountManagement {

	/** Same rule as VE names: short, lower case, safe in paths and logs. */
	public static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9._-]{2,31}$");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private final UserAccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final SessionRegistry sessions;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	AccountManagement(UserAccountRepository accounts, PasswordEncoder passwordEncoder, SessionRegistry sessions,
			ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.sessions = sessions;
		this.events = events;
	}

	@Transactional
	public CreatedUser create(NewUser user) {
		String username = user.username() == null ? "" : user.username().strip().toLowerCase(Locale.ROOT);
		try {
			if (!USERNAME.matcher(username).matches()) {
				throw new AccountException("username",
						"must be 3 to 32 characters: a lower-case letter, then letters, digits, '.', '_' or '-'");
			}
			if (accounts.existsByUsernameIgnoreCase(username)) {
				throw new AccountException("username", "is already taken");
			}
			String email = checkedEmail(user.email());
			if (user.role() == null) {
				throw new AccountException("role", "must be one of CUSTOMER, SUPPORT, ADMIN");
			}
			boolean generated = user.password() == null || user.password().isEmpty();
			String password = generated ? generatePassword() : user.password();
			if (!generated) {
				checkPolicy("password", password, username);
			}
			UserAccount saved = accounts
				.save(new UserAccount(username, email, passwordEncoder.encode(password), user.role(), generated));
			events.publishEvent(AuditedAction.success("USER_CREATE", target(saved)));
			return new CreatedUser(saved, generated ? password : null);
		}
		catch (AccountException ex) {
			events.publishEvent(AuditedAction.failure("USER_CREATE", "user:" + username, ex.field() + " " + ex.getMessage()));
			throw ex;
		}
	}

	@Transactional
	public UserAccount update(long id, String email, Role role) {
		UserAccount account = get(id);
		try {
			if (role == null) {
				throw new AccountException("role", "must be one of CUSTOMER, SUPPORT, ADMIN");
			}
			Role previous = account.getRole();
			account.changeDetails(checkedEmail(email), role);
			events.publishEvent(AuditedAction.success("USER_UPDATE", target(account)));
			if (role != previous) {
				// the role is part of every session's authorities
				endSessions(account, null);
			}
			return account;
		}
		catch (AccountException ex) {
			events.publishEvent(AuditedAction.failure("USER_UPDATE", target(account), ex.field() + " " + ex.getMessage()));
			throw ex;
		}
	}

	/** Suspends the user: they cannot sign in and every session they have ends now. */
	@Transactional
	public void suspend(long id, String currentUsername) {
		UserAccount account = get(id);
		if (account.getUsername().equalsIgnoreCase(currentUsername)) {
			events.publishEvent(AuditedAction.failure("USER_SUSPEND", target(account), "an admin cannot suspend themselves"));
			throw new AccountException("id", "You cannot suspend your own account.");
		}
		account.setSuspended(true);
		endSessions(account, null);
		events.publishEvent(AuditedAction.success("USER_SUSPEND", target(account)));
	}

	@Transactional
	public void unsuspend(long id) {
		UserAccount account = get(id);
		account.setSuspended(false);
		events.publishEvent(AuditedAction.success("USER_UNSUSPEND", target(account)));
	}

	/** Gives the user a new generated password, to be changed at their next sign-in; returns it once. */
	@Transactional
	public String resetPassword(long id) {
		UserAccount account = get(id);
		String password = generatePassword();
		account.changePassword(passwordEncoder.encode(password), true);
		endSessions(account, null);
		events.publishEvent(AuditedAction.success("USER_PASSWORD_RESET", target(account)));
		// whoever knew the old password may have made tokens with it: they end with it
		events.publishEvent(new PasswordChanged(account.getId(), account.getUsername(), true,
				"password reset by an admin"));
		return password;
	}

	/** A user changes their own password, proving they know the current one; their tokens and other sessions end. */
	@Transactional
	public void changeOwnPassword(String username, String currentPassword, String newPassword) {
		changeOwnPassword(username, currentPassword, newPassword, false, null);
	}

	/**
	 * As above; with {@code keepTokens} the user's API tokens stay, and the session {@code currentSessionId} (the
	 * one the change was made in) stays signed in while every other session of theirs ends.
	 */
	@Transactional
	public void changeOwnPassword(String username, String currentPassword, String newPassword, boolean keepTokens,
			@Nullable String currentSessionId) {
		UserAccount account = accounts.findByUsernameIgnoreCase(username)
			.orElseThrow(() -> new AccountException("username", "No such user: " + username));
		try {
			if (currentPassword == null || !passwordEncoder.matches(currentPassword, account.getPasswordHash())) {
				throw new AccountException("currentPassword", "is not your current password");
			}
			checkPolicy("newPassword", newPassword, account.getUsername());
			if (passwordEncoder.matches(newPassword, account.getPasswordHash())) {
				throw new AccountException("newPassword", "must differ from the current password");
			}
			account.changePassword(passwordEncoder.encode(newPassword), false);
			endSessions(account, currentSessionId);
			events.publishEvent(AuditedAction.success("PASSWORD_CHANGE", target(account)));
			events.publishEvent(new PasswordChanged(account.getId(), account.getUsername(), !keepTokens,
					"password changed"));
		}
		catch (AccountException ex) {
			events.publishEvent(AuditedAction.failure("PASSWORD_CHANGE", target(account), ex.field() + " " + ex.getMessage()));
			throw ex;
		}
	}

	@Transactional(readOnly = true)
	public UserAccount get(long id) {
		return accounts.findById(id).orElseThrow(() -> new UserNotFoundException(id));
	}

	@Transactional(readOnly = true)
	public List<UserAccount> search(@Nullable String text, @Nullable Role role) {
		String lower = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
		return accounts.search(lower, role, Sort.by("username"));
	}

	@Transactional(readOnly = true)
	public long count() {
		return accounts.count();
	}

	/** The signed-in principal of a user, by id, as an API token names its owner. */
	@Transactional(readOnly = true)
	public java.util.Optional<SignedInUser> principal(long id) {
		return accounts.findById(id).map(SignedInUser::new);
	}

	/** Builds the signed-in principal for a user name, as Spring Security asks for it. */
	@Transactional(readOnly = true)
	public java.util.Optional<SignedInUser> principal(String username) {
		return accounts.findByUsernameIgnoreCase(username).map(SignedInUser::new);
	}

	@Transactional(readOnly = true)
	boolean adminExists() {
		return accounts.existsByRole(Role.ADMIN);
	}

	@Transactional
	UserAccount createFirstAdmin(String username, String email, String password, boolean changeRequired) {
		checkPolicy("password", password, username);
		UserAccount admin = accounts
			.save(new UserAccount(username, email, passwordEncoder.encode(password), Role.ADMIN, changeRequired));
		events.publishEvent(new AuditedAction("system", "USER_CREATE", target(admin),
				org.cairn.panel.audit.Outcome.SUCCESS, "first admin"));
		return admin;
	}

	String generatePassword() {
		StringBuilder password = new StringBuilder(20);
		for (int i = 0; i < 20; i++) {
			password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
		}
		return password.toString();
	}

	/** Ends the user's sessions, but the one named (where they changed their password), if any. */
	private void endSessions(UserAccount account, @Nullable String keptSessionId) {
		// found by the user name (Spring Session JDBC indexes it), in whichever panel instance made the session
		sessions.getAllSessions(new SignedInUser(account), false)
			.stream()
			.filter(session -> !session.getSessionId().equals(keptSessionId))
			.forEach(SessionInformation::expireNow);
	}

	private static void checkPolicy(String field, String password, String username) {
		PasswordPolicy.violation(password, username).ifPresent(problem -> {
			throw new AccountException(field, problem);
		});
	}

	private static String checkedEmail(String email) {
		String value = email == null ? "" : email.strip();
		if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
			throw new AccountException("email", "must be an e-mail address such as name@example.com");
		}
		return value;
	}

	private static String target(UserAccount account) {
		return "user:" + account.getUsername();
	}
}
