// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.panel.system.ClusterScheduler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Usage samples in PostgreSQL: fine ones for a day, 5-minute averages for a month, so that the table stays
 * bounded (about 8,640 + 8,928 rows per VE).
 */
@Repository
public class UsageStore {

	static final int FINE = 10;

	static final int COARSE = 300;

	private static final Duration KEEP_FINE = Duration.ofDays(1);

	private static final Duration KEEP_COARSE = Duration.ofDays(31);

	/** The ranges the pages and the API offer, how far back each goes and at which resolution. */
	private static final Map<String, Duration> RANGES = Map.of("hour", Duration.ofHours(1), "day", Duration.ofDays(1),
			"week", Duration.ofDays(7), "month", Duration.ofDays(31));

	private final JdbcTemplate jdbc;

	UsageStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void save(List<UsageSample> samples) {
		jdbc.batchUpdate("""
				insert into usage_sample (ve_name, resolution, at, cpu_percent, memory_bytes, swap_bytes, processes,
				  disk_used_bytes, rx_bps, tx_bps, read_bps, write_bps)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", samples, 500, (ps, s) -> {
			ps.setString(1, s.ve());
			ps.setInt(2, FINE);
			ps.setTimestamp(3, Timestamp.from(s.at()));
			ps.setDouble(4, s.cpuPercent());
			ps.setLong(5, s.memoryBytes());
			ps.setLong(6, s.swapBytes());
			ps.setLong(7, s.processes());
			ps.setLong(8, s.diskUsedBytes());
			ps.setDouble(9, s.rxBps());
			ps.setDouble(10, s.txBps());
			ps.setDouble(11, s.readBps());
			ps.setDouble(12, s.writeBps());
		});
	}

	/** When the newest round was taken (its totals' row is written with it). */
	Optional<Instant> newestRound() {
		return Optional.ofNullable(jdbc.queryForObject(
				"select max(at) from usage_sample where ve_name = ? and resolution = ?", Timestamp.class,
				UsageSample.NODE, FINE)).map(Timestamp::toInstant);
	}

	/** Every sample of the round taken at {@code at}. */
	List<UsageSample> round(Instant at) {
		return jdbc.query("""
				select ve_name, cpu_percent, memory_bytes, swap_bytes, processes, disk_used_bytes, rx_bps, tx_bps,
				       read_bps, write_bps
				from usage_sample where resolution = ? and at = ?""",
				(rs, row) -> new UsageSample(rs.getString(1), at, rs.getDouble(2), rs.getLong(3), rs.getLong(4),
						rs.getLong(5), rs.getLong(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10)),
				FINE, Timestamp.from(at));
	}

	/** The VE's usage over "hour", "day", "week" or "month"; {@code ve} "" for the node. */
	public UsageHistory history(String ve, String range) {
		Duration span = RANGES.get(range);
		if (span == null) {
			throw new UsageException("range", "one of hour, day, week, month");
		}
		int resolution = span.compareTo(Duration.ofDays(1)) <= 0 ? FINE : COARSE;
		List<Long> t = new ArrayList<>();
		List<Double> cpu = new ArrayList<>();
		List<Long> memory = new ArrayList<>();
		List<Long> swap = new ArrayList<>();
		List<Long> processes = new ArrayList<>();
		List<Long> disk = new ArrayList<>();
		List<Double> rx = new ArrayList<>();
		List<Double> tx = new ArrayList<>();
		List<Double> read = new ArrayList<>();
		List<Double> write = new ArrayList<>();
		jdbc.query("""
				select extract(epoch from at)::bigint, cpu_percent, memory_bytes, swap_bytes, processes, disk_used_bytes,
				       rx_bps, tx_bps, read_bps, write_bps
				from usage_sample where ve_name = ? and resolution = ? and at > ? order by at""", rs -> {
			t.add(rs.getLong(1));
			cpu.add(Math.round(rs.getDouble(2) * 10) / 10.0);
			memory.add(rs.getLong(3));
			swap.add(rs.getLong(4));
			processes.add(rs.getLong(5));
			disk.add(rs.getLong(6));
			rx.add(rs.getDouble(7));
			tx.add(rs.getDouble(8));
			read.add(rs.getDouble(9));
			write.add(rs.getDouble(10));
		}, ve, resolution, Timestamp.from(Instant.now().minus(span)));
		return new UsageHistory(range, resolution, t, cpu, memory, swap, processes, disk, rx, tx, read, write);
	}

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> downsampleAndPruneTask(
			@Value("${cairn.usage.downsample-every:PT5M}") Duration every) {
		return ClusterScheduler.every("usage-downsample", every, this::downsampleAndPrune);
	}

	/** Averages the last hour's fine samples into 5-minute ones (again, idempotently), then drops what is too old. */
	public void downsampleAndPrune() {
		downsample(Instant.now());
		jdbc.update("delete from usage_sample where resolution = ? and at < ?", FINE,
				Timestamp.from(Instant.now().minus(KEEP_FINE)));
		jdbc.update("delete from usage_sample where resolution = ? and at < ?", COARSE,
				Timestamp.from(Instant.now().minus(KEEP_COARSE)));
	}

	/** The complete 5-minute buckets of the hour before {@code now}, averaged (a bucket done once stays). */
	void downsample(Instant now) {
		long end = now.getEpochSecond() / COARSE * COARSE;
		jdbc.update("""
				insert into usage_sample (ve_name, resolution, at, cpu_percent, memory_bytes, swap_bytes, processes,
				  disk_used_bytes, rx_bps, tx_bps, read_bps, write_bps)
				select ve_name, ?, to_timestamp(floor(extract(epoch from at) / ?) * ?), avg(cpu_percent),
				       avg(memory_bytes)::bigint, avg(swap_bytes)::bigint, round(avg(processes))::integer,
				       avg(disk_used_bytes)::bigint, avg(rx_bps), avg(tx_bps), avg(read_bps), avg(write_bps)
				from usage_sample where resolution = ? and at >= ? and at < ?
				group by 1, 3 on conflict do nothing""", COARSE, COARSE, COARSE, FINE,
				Timestamp.from(Instant.ofEpochSecond(end - 3600)), Timestamp.from(Instant.ofEpochSecond(end)));
	}

	/** The owner of each VE the panel knows, by engine name, for the metrics' labels. */
	Map<String, Long> owners() {
		Map<String, Long> owners = new java.util.HashMap<>();
		jdbc.query("select engine_name, owner_id from ve", rs -> {
			owners.put(rs.getString(1), rs.getLong(2));
		});
		return owners;
	}
}
