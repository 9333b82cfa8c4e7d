// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.plan.TrafficAllowance;
import org.cairn.panel.system.ClusterScheduler;
import org.cairn.panel.usage.CountersRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monthly traffic: each sampling's counters (see {@link CountersRead}) add their growth since the last reading
 * to the VE's current billing period and day in PostgreSQL; a counter that went back (the VE restarted, its link
 * is new) counts from zero. At 80 % and 100 % of the plan's allowance the VE's pages say so; beyond it what the VE
 * sends is throttled to the plan's rate, or the VE is suspended, as the plan says, until the next period or until
 * an admin adds traffic. Days and periods are UTC's.
 */
@Component
public class TrafficMeter {

	private static final Logger log = LoggerFactory.getLogger(TrafficMeter.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final VeEngine engine;

	private final ApplicationEventPublisher events;

	TrafficMeter(JdbcClient jdbc, TransactionTemplate tx, @Lazy VeEngine engine, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.engine = engine;
		this.events = events;
	}

	/** A VE of the panel's with its plan's traffic settings. */
	record Metered(long id, String engineName, String hostname, TrafficAllowance plan) {
	}

	private static final String METERED = """
			select v.id, v.engine_name, v.hostname, p.traffic_bytes, p.traffic_counts, p.traffic_day, p.traffic_over,
			       p.traffic_throttle_bps
			from ve v join plan p on p.id = v.plan_id""";

	private Optional<Metered> metered(String where, Object key) {
		return jdbc.sql(METERED + " where " + where).param(key)
			.query((rs, row) -> new Metered(rs.getLong(1), rs.getString(2), rs.getString(3),
					new TrafficAllowance(rs.getLong(4), "out".equals(rs.getString(5)), rs.getInt(6),
							"suspend".equals(rs.getString(7)), rs.getLong(8))))
			.optional();
	}

	@EventListener
	void countersRead(CountersRead read) {
		try {
			record(read.at(), read.readings());
		}
		catch (RuntimeException ex) {
			log.warn("Counting the VEs' traffic: {}", ex.getMessage());
		}
	}

	/** Adds each VE's growth since its last reading to its period and day, then applies its plan's allowance. */
	public void record(Instant at, List<CountersRead.Reading> readings) {
		for (CountersRead.Reading reading : readings) {
			Optional<Metered> found = metered("v.engine_name = ?", reading.engineName());
			if (found.isEmpty()) {
				continue;
			}
			Metered ve = found.get();
			LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
			TrafficPeriod period = TrafficPeriod.containing(day, ve.plan().day());
			tx.executeWithoutResult(status -> {
				long[] last = jdbc.sql("select rx, tx, run from ve_counter where ve_id = ? for update").param(ve.id())
					.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) })
					.optional()
					.filter(counted -> counted[2] == reading.run())
					.orElse(null);
				long rx = growth(last == null ? -1 : last[0], reading.rxBytes());
				long sent = growth(last == null ? -1 : last[1], reading.txBytes());
				jdbc.sql("""
						insert into ve_counter (ve_id, run, rx, tx, read_at) values (?, ?, ?, ?, ?)
						on conflict (ve_id) do update
						set run = excluded.run, rx = excluded.rx, tx = excluded.tx, read_at = excluded.read_at""")
					.params(ve.id(), reading.run(), reading.rxBytes(), reading.txBytes(), java.sql.Timestamp.from(at))
					.update();
				if (rx == 0 && sent == 0) {
					return;
				}
				jdbc.sql("""
						insert into ve_traffic (ve_id, period_start, rx_bytes, tx_bytes) values (?, ?, ?, ?)
						on conflict (ve_id, period_start) do update
						set rx_bytes = ve_traffic.rx_bytes + excluded.rx_bytes, tx_bytes = ve_traffic.tx_bytes + excluded.tx_bytes""")
					.params(ve.id(), period.start(), rx, sent)
					.update();
				jdbc.sql("""
						insert into ve_traffic_day (ve_id, day, rx_bytes, tx_bytes) values (?, ?, ?, ?)
						on conflict (ve_id, day) do update
						set rx_bytes = ve_traffic_day.rx_bytes + excluded.rx_bytes,
						    tx_bytes = ve_traffic_day.tx_bytes + excluded.tx_bytes""")
					.params(ve.id(), day, rx, sent)
					.update();
			});
			enforce(ve, period);
		}
	}

	/**
	 * A first reading of a run counts all since its link was made (another run's counters are not compared with);
	 * a counter that went back within a run (which a link's does not) counts from zero too.
	 */
	private static long growth(long before, long now) {
		return before < 0 || now < before ? now : now - before;
	}

	private void enforce(Metered ve, TrafficPeriod period) {
		if (!ve.plan().limited()) {
			return;
		}
		TrafficView view = view(ve, period);
		int notice = view.percent() >= 100 ? 100 : view.percent() >= 80 ? 80 : 0;
		jdbc.sql("update ve_traffic set notice = ? where ve_id = ? and period_start = ? and notice < ?")
			.params(notice, ve.id(), period.start(), notice)
			.update();
		if (view.percent() < 100 || view.overAction() != null) {
			return;
		}
		try {
			String action;
			Long egressBefore = null;
			if (ve.plan().suspend()) {
				engine.suspend(ve.engineName());
				action = "suspended";
			}
			else {
				VeNetwork network = engine.network(ve.engineName());
				egressBefore = network.egressBitsPerSecond();
				engine.setNetwork(ve.engineName(), network.withEgress(ve.plan().throttleBps()));
				action = "throttled";
			}
			jdbc.sql("update ve_traffic set over_action = ?, egress_before = ? where ve_id = ? and period_start = ?")
				.params(action, egressBefore, ve.id(), period.start())
				.update();
			events.publishEvent(new AuditedAction("system", "TRAFFIC_OVER", "ve:" + ve.hostname(), Outcome.SUCCESS,
					action + " for the rest of " + period.name()));
		}
		catch (RuntimeException ex) {
			log.warn("{} is beyond its traffic, yet could not be {}: {}", ve.hostname(),
					ve.plan().suspend() ? "suspended" : "throttled", ex.getMessage());
		}
	}

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> liftEndedTask(
			@Value("${cairn.traffic.check-every:PT1M}") Duration every) {
		return ClusterScheduler.every("traffic-lift", every, this::liftEnded);
	}

	/** Lifts what was done beyond an allowance once its period is over; each minute, and after an admin adds traffic. */
	public void liftEnded() {
		liftEnded(Instant.now());
	}

	public void liftEnded(Instant now) {
		List<Long[]> over = jdbc.sql("select ve_id, extract(epoch from period_start)::bigint from ve_traffic"
				+ " where over_action is not null")
			.query((rs, row) -> new Long[] { rs.getLong(1), rs.getLong(2) })
			.list();
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		for (Long[] row : over) {
			metered("v.id = ?", row[0]).ifPresent(ve -> {
				LocalDate start = LocalDate.ofEpochDay(row[1] / 86400);
				TrafficPeriod current = TrafficPeriod.containing(today, ve.plan().day());
				TrafficView view = view(ve, new TrafficPeriod(start));
				if (current.start().isAfter(start) || view.percent() < 100 || !ve.plan().limited()) {
					lift(ve, start);
				}
			});
		}
	}

	private void lift(Metered ve, LocalDate periodStart) {
		Object[] row = jdbc.sql("select over_action, egress_before from ve_traffic where ve_id = ? and period_start = ?")
			.params(ve.id(), periodStart)
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getObject(2) })
			.single();
		try {
			if ("suspended".equals(row[0])) {
				if (engine.status(ve.engineName()).state() == VeState.SUSPENDED) {
					engine.resume(ve.engineName());
				}
			}
			else {
				long before = row[1] == null ? 0 : ((Number) row[1]).longValue();
				engine.setNetwork(ve.engineName(), engine.network(ve.engineName()).withEgress(before));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not lift the traffic {} of {}: {}", row[0], ve.hostname(), ex.getMessage());
			return;
		}
		jdbc.sql("update ve_traffic set over_action = null where ve_id = ? and period_start = ?")
			.params(ve.id(), periodStart)
			.update();
		events.publishEvent(new AuditedAction("system", "TRAFFIC_RESTORED", "ve:" + ve.hostname(), Outcome.SUCCESS,
				"no longer " + row[0]));
	}

	/** An admin gives the VE more traffic in its current period; what was done beyond the allowance is lifted. */
	public TrafficView add(long veId, long bytes, Instant now) {
		Metered ve = metered("v.id = ?", veId).orElseThrow(() -> new org.cairn.panel.ve.VeNotFoundException("ve", veId));
		TrafficPeriod period = TrafficPeriod.containing(LocalDate.ofInstant(now, ZoneOffset.UTC), ve.plan().day());
		jdbc.sql("""
				insert into ve_traffic (ve_id, period_start, added_bytes) values (?, ?, ?)
				on conflict (ve_id, period_start) do update set added_bytes = ve_traffic.added_bytes + excluded.added_bytes""")
			.params(veId, period.start(), bytes)
			.update();
		events.publishEvent(new AuditedAction(null, "TRAFFIC_ADD", "ve:" + ve.hostname(), Outcome.SUCCESS,
				bytes + " bytes in " + period.name()));
		liftEnded(now);
		return view(ve, period);
	}

	/** The VE's traffic in the period named {@code name} ({@code 2026-11}), or the current one when null. */
	public TrafficView view(long veId, String name, Instant now) {
		Metered ve = metered("v.id = ?", veId).orElseThrow(() -> new org.cairn.panel.ve.VeNotFoundException("ve", veId));
		TrafficPeriod period = name == null || name.isBlank()
				? TrafficPeriod.containing(LocalDate.ofInstant(now, ZoneOffset.UTC), ve.plan().day())
				: TrafficPeriod.named(name.strip(), ve.plan().day());
		return view(ve, period);
	}

	private TrafficView view(Metered ve, TrafficPeriod period) {
		Object[] row = jdbc.sql("""
				select rx_bytes, tx_bytes, added_bytes, over_action from ve_traffic where ve_id = ? and period_start = ?""")
			.params(ve.id(), period.start())
			.query((rs, n) -> new Object[] { rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4) })
			.optional()
			.orElse(new Object[] { 0L, 0L, 0L, null });
		long rx = (Long) row[0];
		long sent = (Long) row[1];
		long allowance = ve.plan().limited() ? ve.plan().bytes() + (Long) row[2] : 0;
		List<TrafficView.Day> days = jdbc.sql("""
				select day, rx_bytes, tx_bytes from ve_traffic_day where ve_id = ? and day >= ? and day < ? order by day""")
			.params(ve.id(), period.start(), period.end())
			.query((rs, n) -> new TrafficView.Day(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3)))
			.list();
		return new TrafficView(period.name(), period.start(), period.end(), rx, sent,
				ve.plan().outOnly() ? sent : rx + sent, allowance, ve.plan().outOnly(), (String) row[3], days);
	}
}
