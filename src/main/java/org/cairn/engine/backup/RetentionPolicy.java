// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import org.cairn.engine.EngineException;

/** Which of a VE's backups to keep; the others are forgotten and their data pruned when no backup needs it. */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly) {

	public RetentionPolicy {
		check("keep-last", keepLast);
		check("keep-daily", keepDaily);
		check("keep-weekly", keepWeekly);
		if (keepLast + keepDaily + keepWeekly == 0) {
			throw new EngineException("keep-last: keep at least one backup (keep-last, keep-daily or keep-weekly above 0)");
		}
	}

	private static void check(String option, int value) {
		if (value < 0 || value > 10_000) {
			throw new EngineException(option + ": between 0 and 10000, not " + value);
		}
	}
}
