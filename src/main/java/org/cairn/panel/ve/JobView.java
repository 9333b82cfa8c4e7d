// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** A job as pages and the API show it. */
public record JobView(long id, @Nullable Long veId, String ve, String kind, String state, String progress,
		@Nullable String error, Instant createdAt, @Nullable Instant finishedAt) {

	static JobView of(Job job) {
		return new JobView(job.getId(), job.getVeId(), job.getVeName(), job.getKind(),
				job.getState().name().toLowerCase(java.util.Locale.ROOT), job.getProgress(), job.getError(),
				job.getCreatedAt(), job.getFinishedAt());
	}
}
