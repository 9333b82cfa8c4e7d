// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-node series on {@code /actuator/prometheus}, tagged {@code node}: whether it answers, seconds since it last
 * did, its memory and disk against what is sold on it, and its VEs. Each panel instance exports the same figures,
 * read from the database (a scraper takes any instance's, or their max).
 */
@Component
class FleetMetrics {

	private record Figure(String name, String unit, String help, ToDoubleFunction<FleetOverview.NodeRow> value) {
	}

	private static final List<Figure> FIGURES = List.of(
			new Figure("cairn.fleet.node.up", null, "1 when the node answered the panel's last call, else 0",
					row -> row.condition().equals("unreachable") || row.lastContact() == null ? 0 : 1),
			new Figure("cairn.fleet.node.contact.age", "seconds", "Time since the node last answered",
					row -> row.lastContact() == null ? Double.NaN
							: Duration.between(row.lastContact(), Instant.now()).toMillis() / 1000.0),
			new Figure("cairn.fleet.node.memory", "bytes", "The node's memory", row -> row.capacity().memoryBytes()),
			new Figure("cairn.fleet.node.memory.sold", "bytes", "Memory the plans of the node's VEs promise",
					FleetOverview.NodeRow::soldMemoryBytes),
			new Figure("cairn.fleet.node.disk", "bytes", "The node's disk", row -> row.capacity().diskBytes()),
			new Figure("cairn.fleet.node.disk.sold", "bytes", "Disk the plans of the node's VEs promise",
					FleetOverview.NodeRow::soldDiskBytes),
			new Figure("cairn.fleet.node.ves", null, "VEs on the node", FleetOverview.NodeRow::ves));

	private final FleetOverview overview;

	private final List<MultiGauge> gauges;

	FleetMetrics(FleetOverview overview, MeterRegistry registry) {
		this.overview = overview;
		this.gauges = FIGURES.stream()
			.map(f -> MultiGauge.builder(f.name()).baseUnit(f.unit()).description(f.help()).register(registry))
			.toList();
	}

	/** Per instance, not clustered: every instance's scrape shows the fleet. */
	@Scheduled(initialDelayString = "PT5S", fixedDelayString = "${cairn.fleet.check-every:PT15S}")
	void refresh() {
		List<FleetOverview.NodeRow> rows = overview.rows();
		for (int i = 0; i < FIGURES.size(); i++) {
			Figure figure = FIGURES.get(i);
			gauges.get(i).register(rows.stream()
				.map(row -> MultiGauge.Row.of(Tags.of("node", row.name(), "state", row.state()),
						figure.value().applyAsDouble(row)))
				.toList(), true);
		}
	}
}
