// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A VE's traffic in one billing period.
 * @param countedBytes what counts against the allowance (received and sent, or sent only, as the plan says)
 * @param allowanceBytes the plan's allowance and what an admin added; 0 for none
 * @param overAction "throttled" or "suspended" while the VE is beyond its allowance, else null
 * @param days each day's bytes received and sent, for the chart
 */
public record TrafficView(String period, LocalDate start, LocalDate end, long rxBytes, long txBytes, long countedBytes,
		long allowanceBytes, boolean outOnly, @Nullable String overAction, List<Day> days) {

	public record Day(LocalDate day, long rxBytes, long txBytes) {
	}

	/** Days from the period's start, for the chart. */
	public long offset(Day day) {
		return java.time.temporal.ChronoUnit.DAYS.between(start, day.day());
	}

	/** "1.5 MB" and the like, for pages. */
	public static String size(long bytes) {
		String[] units = { "B", "KB", "MB", "GB", "TB", "PB" };
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	/** How much of the allowance is used, in percent; 0 without an allowance. */
	public int percent() {
		return allowanceBytes == 0 ? 0 : (int) Math.min(999, countedBytes * 100 / allowanceBytes);
	}
}
