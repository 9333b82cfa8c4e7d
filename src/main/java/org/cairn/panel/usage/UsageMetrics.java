// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

/**
 * The samples as metrics at {@code /actuator/prometheus}: one gauge per figure and VE (labels {@code ve}, the
 * engine's name, and {@code owner}, the owner's id), the node's totals without labels, and what sampling costs.
 */
@Component
class UsageMetrics {

	private record Figure(String name, String unit, String help, ToDoubleFunction<UsageSample> value) {
	}

	private static final List<Figure> FIGURES = List.of(
			new Figure("cpu", "percent", "CPU used, in percent of one CPU", UsageSample::cpuPercent),
			new Figure("memory", "bytes", "RAM in use", UsageSample::memoryBytes),
			new Figure("swap", "bytes", "swap in use", UsageSample::swapBytes),
			new Figure("processes", null, "processes and threads", UsageSample::processes),
			new Figure("disk.used", "bytes", "space used on the VE's own disk", UsageSample::diskUsedBytes),
			new Figure("network.receive", "bytes.per.second", "bytes received", UsageSample::rxBps),
			new Figure("network.transmit", "bytes.per.second", "bytes sent", UsageSample::txBps),
			new Figure("io.read", "bytes.per.second", "block I/O read", UsageSample::readBps),
			new Figure("io.write", "bytes.per.second", "block I/O written", UsageSample::writeBps));

	private final List<MultiGauge> perVe = new ArrayList<>();

	private final List<MultiGauge> node = new ArrayList<>();

	private final AtomicLong samplingNanos = new AtomicLong();

	private final AtomicLong rounds = new AtomicLong();

	UsageMetrics(MeterRegistry registry) {
		for (Figure figure : FIGURES) {
			perVe.add(MultiGauge.builder("cairn.ve." + figure.name()).baseUnit(figure.unit())
				.description("A VE's " + figure.help()).register(registry));
			node.add(MultiGauge.builder("cairn.node." + figure.name()).baseUnit(figure.unit())
				.description("All VEs of the node: " + figure.help()).register(registry));
		}
		FunctionCounter.builder("cairn.usage.sampling.cpu", samplingNanos, n -> n.get() / 1e9).baseUnit("seconds")
			.description("CPU time the panel spent sampling usage").register(registry);
		FunctionCounter.builder("cairn.usage.sampling.rounds", rounds, AtomicLong::get)
			.description("Sampling rounds").register(registry);
	}

	void update(List<UsageSample> samples, Map<String, Long> owners) {
		for (int i = 0; i < FIGURES.size(); i++) {
			ToDoubleFunction<UsageSample> value = FIGURES.get(i).value();
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			List<MultiGauge.Row<?>> totals = new ArrayList<>();
			for (UsageSample sample : samples) {
				double v = value.applyAsDouble(sample);
				if (sample.ve().equals(UsageSample.NODE)) {
					totals.add(MultiGauge.Row.of(Tags.empty(), v));
				}
				else {
					rows.add(MultiGauge.Row.of(Tags.of("ve", sample.ve(), "owner",
							String.valueOf(owners.getOrDefault(sample.ve(), 0L))), v));
				}
			}
			perVe.get(i).register(rows, true);
			node.get(i).register(totals, true);
		}
	}

	void sampling(long cpuNanos, long roundsSoFar) {
		samplingNanos.set(cpuNanos);
		rounds.set(roundsSoFar);
	}
}
