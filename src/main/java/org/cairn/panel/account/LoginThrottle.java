// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.panel.system.ClusterScheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per user name and per source address: past a few, each attempt is slowed down;
 * past more, sign-in for that name or address is locked for a while. Kept in PostgreSQL ({@code login_failure}),
 * so that a restart does not lift a lock and every panel instance counts the same failures; each count is one
 * atomic upsert, so attempts spread over instances at once are all counted.
 */
@Component
public class LoginThrottle {

	private final LoginSettings settings;

	private final JdbcClient jdbc;

	private final Clock clock;

	@Autowired
	LoginThrottle(LoginSettings settings, JdbcClient jdbc) {
		this(settings, jdbc, Clock.systemUTC());
	}

	LoginThrottle(LoginSettings settings, JdbcClient jdbc, Clock clock) {
		this.settings = settings;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** When sign-in for this user or address is locked, the end of the lock. */
	public Optional<Instant> lockedUntil(String username, String address) {
		return jdbc.sql("select max(locked_until) from login_failure where key in (?, ?) and locked_until > ?")
			.params(userKey(username), addressKey(address), Timestamp.from(clock.instant()))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant);
	}

	/**
	 * Records a failed sign-in.
	 * @return how long to hold the answer back, and the end of a lock this failure started (if any)
	 */
	public Verdict recordFailure(String username, String address) {
		Instant now = clock.instant();
		int count = 0;
		Instant lockedUntil = null;
		for (String key : List.of(userKey(username), addressKey(address))) {
			count = Math.max(count, count(key, now));
			Optional<Instant> lock = jdbc.sql("""
					update login_failure set locked_until = ?
					where key = ? and count >= ? and locked_until is null returning locked_until""")
				.params(Timestamp.from(now.plus(settings.lockDuration())), key, settings.maxFailures())
				.query(Timestamp.class)
				.optional()
				.map(Timestamp::toInstant);
			if (lock.isPresent()) {
				lockedUntil = lock.get();
			}
		}
		Duration delay = count > settings.slowdownAfter()
				? settings.slowdown().multipliedBy(Math.min(count - settings.slowdownAfter(), 5)) : Duration.ZERO;
		return new Verdict(delay, Optional.ofNullable(lockedUntil));
	}

	/** One more failure for {@code key}: a count begins again once its window or its lock is over. */
	private int count(String key, Instant now) {
		Timestamp at = Timestamp.from(now);
		Timestamp windowStart = Timestamp.from(now.minus(settings.window()));
		return jdbc.sql("""
				insert into login_failure as f (key, count, first_at) values (?, 1, ?)
				on conflict (key) do update set
				  count = case when f.locked_until <= ? or f.first_at < ? then 1 else f.count + 1 end,
				  locked_until = case when f.locked_until <= ? or f.first_at < ? then null else f.locked_until end,
				  first_at = case when f.locked_until <= ? or f.first_at < ? then excluded.first_at else f.first_at end
				returning count""")
			.params(key, at, at, windowStart, at, windowStart, at, windowStart)
			.query(Integer.class)
			.single();
	}

	/** A successful sign-in clears the user's count; the address keeps its own. */
	public void recordSuccess(String username) {
		jdbc.sql("delete from login_failure where key = ? and (locked_until is null or locked_until <= ?)")
			.params(userKey(username), Timestamp.from(clock.instant()))
			.update();
	}

	/** Once across the panel's instances (see ClusterScheduler): counts and locks that are over. */
	@Bean
	RecurringTask<Void> forgetOldFailuresTask() {
		return ClusterScheduler.every("login-failures-prune", Duration.ofMinutes(10), this::forgetOldFailures);
	}

	void forgetOldFailures() {
		Instant now = clock.instant();
		jdbc.sql("delete from login_failure where (locked_until is null or locked_until < ?) and first_at < ?")
			.params(Timestamp.from(now), Timestamp.from(now.minus(settings.window())))
			.update();
	}

	private static String userKey(String username) {
		String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
		return "user:" + (name.length() > 200 ? name.substring(0, 200) : name);
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	/** What a failure means for the caller. */
	public record Verdict(Duration delay, Optional<Instant> lockStarted) {
	}
}
