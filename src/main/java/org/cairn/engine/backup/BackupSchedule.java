// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.cairn.engine.EngineException;
import org.jspecify.annotations.Nullable;

/**
 * A daily backup time per VE, in files under {@code ROOT/backups} so that it outlives every process: the times
 * ({@code schedule.properties}) and when each VE's scheduled backup last ran ({@code last-run.properties}). A
 * backup is due when today's time has passed and it has not run since.
 */
public final class BackupSchedule {

	private final Path times;

	private final Path lastRuns;

	public BackupSchedule(Path engineRoot) {
		Path dir = engineRoot.resolve("backups");
		this.times = dir.resolve("schedule.properties");
		this.lastRuns = dir.resolve("last-run.properties");
	}

	/** "HH:MM", 24 hours, as users type it. */
	public static LocalTime parseTime(String text) {
		try {
			if (text != null && text.matches("\\d{2}:\\d{2}")) {
				return LocalTime.parse(text);
			}
		}
		catch (DateTimeParseException ex) {
			// named below
		}
		throw new EngineException("at: '" + text + "' is not a time of day such as 03:30");
	}

	public synchronized void set(String ve, @Nullable LocalTime time) {
		Properties p = load(times);
		if (time == null) {
			p.remove(ve);
		}
		else {
			p.setProperty(ve, time.toString());
		}
		store(times, p);
	}

	public synchronized Map<String, LocalTime> all() {
		Map<String, LocalTime> all = new TreeMap<>();
		load(times).forEach((ve, time) -> all.put((String) ve, LocalTime.parse((String) time)));
		return all;
	}

	/** The VEs whose backup of today is due at {@code now} (in the node's time zone) and has not run. */
	public synchronized List<String> due(ZonedDateTime now) {
		Properties last = load(lastRuns);
		List<String> due = new ArrayList<>();
		all().forEach((ve, time) -> {
			Instant today = now.toLocalDate().atTime(time).atZone(now.getZone()).toInstant();
			String ran = last.getProperty(ve);
			if (!now.toInstant().isBefore(today) && (ran == null || Instant.parse(ran).isBefore(today))) {
				due.add(ve);
			}
		});
		return due;
	}

	public synchronized void ran(String ve, Instant when) {
		Properties p = load(lastRuns);
		p.setProperty(ve, when.toString());
		store(lastRuns, p);
	}

	public synchronized void forget(String ve) {
		if (load(times).containsKey(ve)) {
			set(ve, null);
		}
		Properties p = load(lastRuns);
		if (p.remove(ve) != null) {
			store(lastRuns, p);
		}
	}

	private static Properties load(Path file) {
		Properties p = new Properties();
		if (Files.exists(file)) {
			try (Reader in = Files.newBufferedReader(file)) {
				p.load(in);
			}
			catch (IOException ex) {
				throw new EngineException("Cannot read " + file + ": " + ex.getMessage(), ex);
			}
		}
		return p;
	}

	private static void store(Path file, Properties p) {
		try {
			Files.createDirectories(file.getParent());
			// a temporary file of its own: two processes (or engines) may write at once, and the last rename wins
			Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
			try (Writer out = Files.newBufferedWriter(tmp)) {
				p.store(out, "Cairn backup schedule");
			}
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}
}
