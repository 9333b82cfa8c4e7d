// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * How many engine operations of one customer may be under way at once (a rename, a start, a job): a customer
 * who fires hundreds at a VE the engine waits on gets 429 past the limit, and the panel's threads stay free for
 * everyone else's pages.
 */
@Component
class OperationSlots {

	private final int perUser;

	private final Map<Long, AtomicInteger> inUse = new ConcurrentHashMap<>();

	OperationSlots(@Value("${cairn.operations.per-user:8}") int perUser) {
		this.perUser = perUser;
	}

	/** One operation's place; closing frees it. */
	interface Slot extends AutoCloseable {

		@Override
		void close();
	}

	Slot take(long userId) {
		AtomicInteger count = inUse.computeIfAbsent(userId, id -> new AtomicInteger());
		if (count.incrementAndGet() > perUser) {
			count.decrementAndGet();
			throw new TooManyOperations(perUser);
		}
		return count::decrementAndGet;
	}

	/** 429: too many of the user's operations are under way. */
	static final class TooManyOperations extends VeException {

		TooManyOperations(int limit) {
			super("operations", limit + " of your operations are under way; wait for one to finish, then try again");
		}

		@Override
		public HttpStatus status() {
			return HttpStatus.TOO_MANY_REQUESTS;
		}
	}
}
