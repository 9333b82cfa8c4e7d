// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeReading;
import org.cairn.engine.VeUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.panel.system.ClusterScheduler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples what every running VE of the fleet uses at a fixed interval ({@code cairn.usage.sample-every}, 10 s):
 * into PostgreSQL for the graphs, into the Prometheus metrics, and in memory for pages that list hundreds of VEs
 * (which then read no VE's cgroups while they render). The totals are the sum over the VEs.
 * <p>
 * Each node reads its own VEs: the panel pulls one answer per node and round ({@code GET /v1/readings}), so the
 * panel's cost grows with the nodes, not with their VEs. A round is taken by one panel instance (a cluster task:
 * traffic is counted once); the other instances take the round from the database for their pages and metrics.
 */
@Component
public class UsageSampler {

	private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

	private final VeEngine engine;

	private final UsageStore store;

	private final UsageMetrics metrics;

	/** What each running VE's counters read at the last round this instance took: the rates are against it. */
	private final Map<String, VeUsage> previous = new ConcurrentHashMap<>();

	/** The last round's samples by VE, replaced whole (pages read it while a round is taken). */
	private volatile Map<String, UsageSample> latestSamples = Map.of();

	/** The last round's time, taken here or read from the database. */
	private volatile Instant lastRound = Instant.EPOCH;

	private final Map<String, Instant> takenAt = new ConcurrentHashMap<>();

	/** Each running VE's init at the last sampling: which run its counters belong to. */
	private final Map<String, Long> runs = new ConcurrentHashMap<>();

	private final AtomicLong cpuNanos = new AtomicLong();

	private final AtomicLong rounds = new AtomicLong();

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final org.springframework.context.ApplicationEventPublisher events;

	UsageSampler(@Lazy VeEngine engine, UsageStore store, UsageMetrics metrics,
			org.springframework.context.ApplicationEventPublisher events) {
		this.engine = engine;
		this.store = store;
		this.metrics = metrics;
		this.events = events;
	}

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> sampleAllTask(@Value("${cairn.usage.sample-every:PT10S}") Duration every) {
		return ClusterScheduler.every("usage-sample", every, this::sampleAll);
	}

	public void sampleAll() {
		long cpu0 = threads.getCurrentThreadCpuTime();
		try {
			Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
			List<UsageSample> samples = sample(now);
			store.save(samples);
			lastRound = now;
			metrics.update(samples, store.owners());
			events.publishEvent(new CountersRead(now, previous.entrySet().stream()
				.filter(e -> runs.containsKey(e.getKey()))
				.map(e -> new CountersRead.Reading(e.getKey(), runs.get(e.getKey()), e.getValue().network().rxBytes(),
						e.getValue().network().txBytes()))
				.toList()));
		}
		catch (RuntimeException ex) {
			log.warn("Sampling the VEs' usage: {}", ex.getMessage());
		}
		finally {
			cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
			rounds.incrementAndGet();
			metrics.sampling(cpuNanos.get(), rounds.get());
		}
	}

	/** One round: each running VE's usage, rates against its previous sample, and the node's totals last. */
	List<UsageSample> sample(Instant now) {
		// one call per node: each node reads its own VEs (the panel's cost does not grow with their number)
		List<VeReading> readings = engine.readings();
		Set<String> running = readings.stream().map(r -> r.status().name()).collect(Collectors.toSet());
		runs.clear();
		readings.forEach(r -> r.status().initPid().ifPresent(pid -> runs.put(r.status().name(), pid)));
		previous.keySet().retainAll(running);
		takenAt.keySet().retainAll(running);
		List<UsageSample> samples = new ArrayList<>();
		for (VeReading reading : readings) {
			String name = reading.status().name();
			VeUsage usage = reading.usage();
			VeUsage before = previous.put(name, usage);
			Instant then = takenAt.put(name, now);
			double seconds = then == null ? 0 : Duration.between(then, now).toMillis() / 1000.0;
			samples.add(new UsageSample(name, now, Math.max(0, usage.cpuPercent()), usage.memoryBytes(),
					usage.swapBytes(), usage.processes(), usage.disk().usedBytes(),
					rate(before == null ? -1 : before.network().rxBytes(), usage.network().rxBytes(), seconds),
					rate(before == null ? -1 : before.network().txBytes(), usage.network().txBytes(), seconds),
					rate(before == null ? -1 : before.io().readBytes(), usage.io().readBytes(), seconds),
					rate(before == null ? -1 : before.io().writeBytes(), usage.io().writeBytes(), seconds)));
		}
		latestSamples = samples.stream().collect(Collectors.toUnmodifiableMap(UsageSample::ve, s -> s));
		samples.add(new UsageSample(UsageSample.NODE, now, samples.stream().mapToDouble(UsageSample::cpuPercent).sum(),
				samples.stream().mapToLong(UsageSample::memoryBytes).sum(),
				samples.stream().mapToLong(UsageSample::swapBytes).sum(),
				samples.stream().mapToLong(UsageSample::processes).sum(),
				samples.stream().mapToLong(UsageSample::diskUsedBytes).sum(),
				samples.stream().mapToDouble(UsageSample::rxBps).sum(), samples.stream().mapToDouble(UsageSample::txBps).sum(),
				samples.stream().mapToDouble(UsageSample::readBps).sum(),
				samples.stream().mapToDouble(UsageSample::writeBps).sum()));
		return samples;
	}

	/** Per second since the sample before; 0 without one, or when the counter went back (a restart). */
	private static double rate(long before, long now, double seconds) {
		return before < 0 || seconds <= 0 || now < before ? 0 : Math.round((now - before) / seconds * 10) / 10.0;
	}

	/**
	 * On an instance that did not take the newest round: that round, from the database, for this instance's pages
	 * and metrics.
	 */
	@Scheduled(initialDelayString = "${cairn.usage.sample-every:PT10S}", fixedDelayString = "${cairn.usage.sample-every:PT10S}")
	public void catchUp() {
		try {
			store.newestRound().filter(round -> round.isAfter(lastRound)).ifPresent(round -> {
				List<UsageSample> samples = store.round(round);
				latestSamples = samples.stream()
					.filter(s -> !s.ve().equals(UsageSample.NODE))
					.collect(Collectors.toUnmodifiableMap(UsageSample::ve, s -> s));
				lastRound = round;
				metrics.update(samples, store.owners());
			});
		}
		catch (RuntimeException ex) {
			log.warn("Reading the VEs' usage: {}", ex.getMessage());
		}
	}

	/** The VE's last sample, if it ran at the last round. */
	public Optional<UsageSample> latest(String engineName) {
		return Optional.ofNullable(latestSamples.get(engineName));
	}

	/** The VEs using the most CPU at the last sampling, most first. */
	public List<UsageSample> busiest(int count) {
		return latestSamples.values().stream().sorted(Comparator.comparingDouble(UsageSample::cpuPercent).reversed()
			.thenComparing(Comparator.comparingLong(UsageSample::memoryBytes).reversed())).limit(count).toList();
	}
}
