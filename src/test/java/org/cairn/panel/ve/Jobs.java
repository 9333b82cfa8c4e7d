// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting in tests for a VE job to end (succeeded or failed), at most a minute. */
public final class Jobs {

	private Jobs() {
	}

	public static JobView await(VeManagement management, long owner, long jobId) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		JobView job = management.job(owner, jobId);
		while (!job.state().equals("succeeded") && !job.state().equals("failed")) {
			assertThat(System.nanoTime()).as("job " + jobId + " ends within a minute").isLessThan(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			job = management.job(owner, jobId);
		}
		return job;
	}
}
