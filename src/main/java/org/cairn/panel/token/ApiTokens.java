// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.cairn.panel.account.PasswordChanged;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens: "cairn_" and 256 random bits, kept only as a SHA-256 (a random secret needs no slow
 * hash), each with an expiry (at most a year) and revocable by its owner. Creating and revoking are audited.
 */
@Service
public class ApiTokens {

	static final String PREFIX = "cairn_";

	private static final int MOST_DAYS = 366;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	ApiTokens(JdbcClient jdbc, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
	}

	@Transactional
	public CreatedToken create(long ownerId, String ownerName, String name, int days) {
		String label = name == null ? "" : name.strip();
		if (!label.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")) {
			throw new TokenException("name", "must be 1 to 64 letters, digits, spaces, '.', '_' or '-'");
		}
		if (days < 1 || days > MOST_DAYS) {
			throw new TokenException("days", "must be from 1 to " + MOST_DAYS);
		}
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = Instant.now();
		Instant expires = now.plus(Duration.ofDays(days));
		long id = jdbc.sql("""
				insert into api_token (owner_id, name, token_hash, prefix, created_at, expires_at)
				values (?, ?, ?, ?, ?, ?) returning id""")
			.params(ownerId, label, hash(secret), secret.substring(0, 12), Timestamp.from(now), Timestamp.from(expires))
			.query(Long.class)
			.single();
		events.publishEvent(new AuditedAction(ownerName, "TOKEN_CREATE", "token:" + secret.substring(0, 12),
				org.cairn.panel.audit.Outcome.SUCCESS, label));
		return new CreatedToken(new ApiToken(id, label, secret.substring(0, 12), now, expires, null, null), secret);
	}

	@Transactional(readOnly = true)
	public List<ApiToken> of(long ownerId) {
		return jdbc.sql("""
				select id, name, prefix, created_at, expires_at, last_used_at, revoked_at from api_token
				where owner_id = ? order by id desc""")
			.param(ownerId)
			.query((rs, row) -> new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), instant(rs.getTimestamp(6)),
					instant(rs.getTimestamp(7))))
			.list();
	}

	/** A password change or reset ends the user's tokens, unless they chose to keep them; audited with the count. */
	@EventListener
	@Transactional
	public void onPasswordChanged(PasswordChanged change) {
		if (!change.endTokens()) {
			return;
		}
		int ended = jdbc.sql("update api_token set revoked_at = now() where owner_id = ? and revoked_at is null")
			.param(change.userId())
			.update();
		if (ended > 0) {
			events.publishEvent(new AuditedAction(change.username(), "TOKENS_REVOKE", "user:" + change.username(),
					Outcome.SUCCESS, ended + " token(s), " + change.reason()));
		}
	}

	/** Revokes one of the owner's tokens; another's is "not found", as one that does not exist. */
	@Transactional
	public void revoke(long ownerId, String ownerName, long tokenId) {
		int changed = jdbc.sql("update api_token set revoked_at = now() where id = ? and owner_id = ? and revoked_at is null")
			.params(tokenId, ownerId)
			.update();
		if (changed == 0 && of(ownerId).stream().noneMatch(t -> t.id() == tokenId)) {
			throw new TokenNotFoundException(tokenId);
		}
		events.publishEvent(AuditedAction.success("TOKEN_REVOKE", "token:" + tokenId).withActor(ownerName));
	}

	/**
	 * The owner of an active token, if the secret is one; notes its use, to the minute (a write per request would
	 * cost every API call a commit).
	 */
	@Transactional
	public Optional<Long> owner(String secret) {
		if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
			return Optional.empty();
		}
		record Active(long id, long ownerId, boolean stale) {
		}
		Optional<Active> active = jdbc.sql("""
				select id, owner_id, last_used_at is null or last_used_at < now() - interval '1 minute' from api_token
				where token_hash = ? and revoked_at is null and expires_at > now()""")
			.param(hash(secret))
			.query((rs, row) -> new Active(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)))
			.optional();
		active.filter(Active::stale)
			.ifPresent(token -> jdbc.sql("update api_token set last_used_at = now() where id = ?").param(token.id()).update());
		return active.map(Active::ownerId);
	}

	static String hash(String secret) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}
}
