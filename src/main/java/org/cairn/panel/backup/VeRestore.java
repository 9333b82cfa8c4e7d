// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/** A restore from one of a VE's backups: what, where to, by whom and, for the support desk, why. */
@Entity
@Table(name = "ve_restore")
public class VeRestore {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "ve_id", nullable = false, updatable = false)
	private long veId;

	@Column(name = "job_id", nullable = false, updatable = false)
	private long jobId;

	@Column(nullable = false, updatable = false)
	private String snapshot;

	@Column(nullable = false, updatable = false)
	private String path;

	@Column(nullable = false, updatable = false)
	private String destination;

	@Column(updatable = false)
	private @Nullable String reason;

	@Column(name = "actor_id", updatable = false)
	private @Nullable Long actorId;

	@Column(name = "actor_name", nullable = false, updatable = false)
	private String actorName;

	@Column(name = "by_support", nullable = false, updatable = false)
	private boolean bySupport;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt = Instant.now();

	protected VeRestore() {
	}

	VeRestore(long veId, long jobId, String snapshot, String path, String destination, @Nullable String reason,
			long actorId, String actorName, boolean bySupport) {
		this.veId = veId;
		this.jobId = jobId;
		this.snapshot = snapshot;
		this.path = path;
		this.destination = destination;
		this.reason = reason;
		this.actorId = actorId;
		this.actorName = actorName;
		this.bySupport = bySupport;
	}

	public Long getId() {
		return id;
	}

	public long getVeId() {
		return veId;
	}

	public long getJobId() {
		return jobId;
	}

	public String getSnapshot() {
		return snapshot;
	}

	public String getPath() {
		return path;
	}

	public String getDestination() {
		return destination;
	}

	public @Nullable String getReason() {
		return reason;
	}

	public String getActorName() {
		return actorName;
	}

	public boolean isBySupport() {
		return bySupport;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}
}
