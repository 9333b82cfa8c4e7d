// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps Cairn's own PostgreSQL running: when its server ends unasked (killed, crashed, out of memory), it is
 * started again, first after 5 s, then waiting twice as long after each failed try (at most 5 minutes). Each
 * outage is logged, audited as a system event once the database is back, and shown on the node page. Does
 * nothing when Cairn uses a database of the admin's.
 */
@Component
public class ClusterWatch {

	private static final Log log = LogFactory.getLog(ClusterWatch.class);

	private static final Duration FIRST_WAIT = Duration.ofSeconds(5);

	private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

	/** One time the database was away; {@code until} is null while it still is. */
	public record Outage(Instant from, @Nullable Instant until, int attempts) {
	}

	private final ObjectProvider<ManagedPostgres> cluster;

	private final ApplicationEventPublisher events;

	private final Deque<Outage> outages = new ArrayDeque<>();

	private Instant nextTry = Instant.MIN;

	private Duration wait = FIRST_WAIT;

	ClusterWatch(ObjectProvider<ManagedPostgres> cluster, ApplicationEventPublisher events) {
		this.cluster = cluster;
		this.events = events;
	}

	@Scheduled(initialDelayString = "PT5S", fixedDelayString = "${cairn.postgres.watch-every:PT5S}")
	public synchronized void check() {
		ManagedPostgres postgres = cluster.getIfAvailable();
		if (postgres == null || !postgres.isRunning()) {
			return;
		}
		if (postgres.serverAlive()) {
			return;
		}
		Instant now = Instant.now();
		Outage current = outages.peekLast();
		if (current == null || current.until() != null) {
			log.warn("Cairn's PostgreSQL in " + postgres.clusterDir() + " has stopped; starting it again");
			current = new Outage(now, null, 0);
			remember(current);
		}
		if (now.isBefore(nextTry)) {
			return;
		}
		try {
			postgres.revive();
			Outage ended = new Outage(current.from(), Instant.now(), current.attempts() + 1);
			replaceLast(ended);
			wait = FIRST_WAIT;
			nextTry = Instant.MIN;
			log.warn("Cairn's PostgreSQL runs again after " + Duration.between(ended.from(), ended.until()).toSeconds()
					+ " s away");
			events.publishEvent(new AuditedAction("system", "DATABASE_RESTART", "postgres:" + postgres.clusterDir(),
					Outcome.SUCCESS, "away from " + ended.from() + " to " + ended.until() + ", " + ended.attempts()
							+ " start(s)"));
		}
		catch (RuntimeException ex) {
			replaceLast(new Outage(current.from(), null, current.attempts() + 1));
			nextTry = Instant.now().plus(wait);
			log.warn("Starting Cairn's PostgreSQL again failed (next try in " + wait.toSeconds() + " s): "
					+ ex.getMessage());
			wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
		}
	}

	/** The latest outages, newest last. */
	public synchronized List<Outage> outages() {
		return List.copyOf(outages);
	}

	private void remember(Outage outage) {
		outages.addLast(outage);
		while (outages.size() > 10) {
			outages.removeFirst();
		}
	}

	private void replaceLast(Outage outage) {
		outages.removeLast();
		outages.addLast(outage);
	}
}
