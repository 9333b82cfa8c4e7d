// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * A billing period: from a day of one month to the same day of the next. It is named by the month it starts in
 * ({@code 2026-11} for 15 November to 14 December when periods start on the 15th).
 */
record TrafficPeriod(LocalDate start) {

	static TrafficPeriod containing(LocalDate day, int startDay) {
		LocalDate thisMonth = day.withDayOfMonth(startDay);
		return new TrafficPeriod(day.isBefore(thisMonth) ? thisMonth.minusMonths(1) : thisMonth);
	}

	/** The period named {@code 2026-11}, with periods starting on {@code startDay}. */
	static TrafficPeriod named(String name, int startDay) {
		try {
			return new TrafficPeriod(YearMonth.parse(name).atDay(startDay));
		}
		catch (DateTimeParseException | NullPointerException ex) {
			throw new TrafficException("period", "a month such as 2026-11, not '" + name + "'");
		}
	}

	LocalDate end() {
		return start.plusMonths(1);
	}

	String name() {
		return YearMonth.from(start).toString();
	}
}
