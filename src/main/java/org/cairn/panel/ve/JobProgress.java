// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Writes how far a job got, and how it ended, each in a transaction of its own (pages and the API follow it). */
@Component
class JobProgress {

	private final JobRepository jobs;

	private final TransactionTemplate tx;

	JobProgress(JobRepository jobs, TransactionTemplate tx) {
		this.jobs = jobs;
		this.tx = tx;
	}

	void step(long jobId, String progress) {
		tx.executeWithoutResult(status -> jobs.findById(jobId).ifPresent(job -> job.running(progress)));
	}

	void finish(long jobId, boolean succeeded, String why) {
		tx.executeWithoutResult(status -> jobs.findById(jobId).ifPresent(job -> {
			if (succeeded) {
				job.succeeded(why);
			}
			else {
				job.failed(why);
			}
		}));
	}
}
