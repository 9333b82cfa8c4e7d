// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per user name and per source address: past a few, each attempt is slowed down;
 * past more, sign-in for that name or address is locked for a while. Kept in memory: a restart of the
 * panel forgets it, which an attacker cannot cause.
 */
@Component
public class LoginThrottle {

	private static final int MAX_TRACKED = 100_000;

	private final LoginSettings settings;

	private final Clock clock;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	@org.springframework.beans.factory.annotation.Autowired
	LoginThrottle(LoginSettings settings) {
		this(settings, Clock.systemUTC());
	}

	LoginThrottle(LoginSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	/** When sign-in for this user or address is locked, the end of the lock. */
	public Optional<Instant> lockedUntil(String username, String address) {
		Instant now = clock.instant();
		return java.util.stream.Stream.of(userKey(username), addressKey(address))
			.map(failures::get)
			.filter(f -> f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now))
			.map(Failures::lockedUntil)
			.max(Instant::compareTo);
	}

	/**
	 * Records a failed sign-in.
	 * @return how long to hold the answer back, and the end of a lock this failure started (if any)
	 */
	public Verdict recordFailure(String username, String address) {
		Instant now = clock.instant();
		if (failures.size() > MAX_TRACKED) {
			failures.values().removeIf(f -> f.isStale(now, settings));
		}
		Failures byUser = failures.merge(userKey(username), Failures.first(now), (old, x) -> old.next(now, settings));
		Failures byAddress = failures.merge(addressKey(address), Failures.first(now),
				(old, x) -> old.next(now, settings));
		int count = Math.max(byUser.count(), byAddress.count());
		Duration delay = count > settings.slowdownAfter()
				? settings.slowdown().multipliedBy(Math.min(count - settings.slowdownAfter(), 5)) : Duration.ZERO;
		Instant lockedUntil = null;
		for (String key : new String[] { userKey(username), addressKey(address) }) {
			Failures f = failures.get(key);
			if (f != null && f.count() >= settings.maxFailures() && f.lockedUntil() == null) {
				lockedUntil = now.plus(settings.lockDuration());
				failures.put(key, f.lock(lockedUntil));
			}
		}
		return new Verdict(delay, Optional.ofNullable(lockedUntil));
	}

	/** A successful sign-in clears the user's count; the address keeps its own. */
	public void recordSuccess(String username) {
		failures.remove(userKey(username));
	}

	private static String userKey(String username) {
		return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	/** What a failure means for the caller. */
	public record Verdict(Duration delay, Optional<Instant> lockStarted) {
	}

	private record Failures(int count, Instant firstAt, Instant lockedUntil) {

		static Failures first(Instant now) {
			return new Failures(1, now, null);
		}

		Failures next(Instant now, LoginSettings settings) {
			boolean lockOver = lockedUntil != null && !lockedUntil.isAfter(now);
			if (lockOver || firstAt.plus(settings.window()).isBefore(now)) {
				return first(now);
			}
			return new Failures(count + 1, firstAt, lockedUntil);
		}

		Failures lock(Instant until) {
			return new Failures(count, firstAt, until);
		}

		boolean isStale(Instant now, LoginSettings settings) {
			return (lockedUntil == null || lockedUntil.isBefore(now)) && firstAt.plus(settings.window()).isBefore(now);
		}
	}
}
