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
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples what every running VE of the node uses at a fixed interval ({@code cairn.usage.sample-every}, 10 s):
 * into PostgreSQL for the graphs, into the Prometheus metrics, and in memory for pages that list hundreds of VEs
 * (which then read no VE's cgroups while they render). The node's totals are the sum over its VEs.
 */
@Component
public class UsageSampler {

	private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

	private final VeEngine engine;

	private final UsageStore store;

	private final UsageMetrics metrics;

	private final Map<String, VeUsage> latest = new ConcurrentHashMap<>();

	private final Map<String, UsageSample> latestSamples = new ConcurrentHashMap<>();

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

	@Scheduled(initialDelayString = "${cairn.usage.sample-every:PT10S}", fixedRateString = "${cairn.usage.sample-every:PT10S}")
	public void sampleAll() {
		long cpu0 = threads.getCurrentThreadCpuTime();
		try {
			Instant now = Instant.now();
			List<UsageSample> samples = sample(now);
			store.save(samples);
			metrics.update(samples, store.owners());
			events.publishEvent(new CountersRead(now, latest.entrySet().stream()
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
		latest.keySet().retainAll(running);
		latestSamples.keySet().retainAll(running);
		takenAt.keySet().retainAll(running);
		List<UsageSample> samples = new ArrayList<>();
		for (VeReading reading : readings) {
			String name = reading.status().name();
			VeUsage usage = reading.usage();
			VeUsage before = latest.put(name, usage);
			Instant then = takenAt.put(name, now);
			double seconds = then == null ? 0 : Duration.between(then, now).toMillis() / 1000.0;
			samples.add(new UsageSample(name, now, Math.max(0, usage.cpuPercent()), usage.memoryBytes(),
					usage.swapBytes(), usage.processes(), usage.disk().usedBytes(),
					rate(before == null ? -1 : before.network().rxBytes(), usage.network().rxBytes(), seconds),
					rate(before == null ? -1 : before.network().txBytes(), usage.network().txBytes(), seconds),
					rate(before == null ? -1 : before.io().readBytes(), usage.io().readBytes(), seconds),
					rate(before == null ? -1 : before.io().writeBytes(), usage.io().writeBytes(), seconds)));
		}
		samples.forEach(s -> latestSamples.put(s.ve(), s));
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

	/** The VE's last reading, if it ran at the last sampling. */
	public Optional<VeUsage> latest(String engineName) {
		return Optional.ofNullable(latest.get(engineName));
	}

	/** The VEs using the most CPU at the last sampling, most first. */
	public List<UsageSample> busiest(int count) {
		return latestSamples.values().stream().sorted(Comparator.comparingDouble(UsageSample::cpuPercent).reversed()
			.thenComparing(Comparator.comparingLong(UsageSample::memoryBytes).reversed())).limit(count).toList();
	}
}
