// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A long operation on a VE (create, stop, restart, destroy) and how far it got. */
@Entity
@Table(name = "job")
public class Job {

	/** A job's course: queued, running, then one of the two ends. */
	public enum State {
		QUEUED, RUNNING, SUCCEEDED, FAILED
	}

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "owner_id", nullable = false, updatable = false)
	private long ownerId;

	@Column(name = "ve_id")
	private @Nullable Long veId;

	@Column(name = "ve_name", nullable = false)
	private String veName;

	@Column(nullable = false)
	private String kind;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private State state = State.QUEUED;

	@Column(nullable = false)
	private String progress = "queued";

	private @Nullable String error;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt = Instant.now();

	@Column(name = "finished_at")
	private @Nullable Instant finishedAt;

	protected Job() {
	}

	Job(long ownerId, Ve ve, String kind) {
		this.ownerId = ownerId;
		this.veId = ve.getId();
		this.veName = ve.getHostname();
		this.kind = kind;
	}

	void running(String step) {
		this.state = State.RUNNING;
		this.progress = step;
	}

	void succeeded(String step) {
		this.state = State.SUCCEEDED;
		this.progress = step;
		this.finishedAt = Instant.now();
	}

	void failed(String why) {
		this.state = State.FAILED;
		this.error = why.length() > 1000 ? why.substring(0, 1000) : why;
		this.finishedAt = Instant.now();
	}

	public Long getId() {
		return id;
	}

	public long getOwnerId() {
		return ownerId;
	}

	public @Nullable Long getVeId() {
		return veId;
	}

	public String getVeName() {
		return veName;
	}

	public String getKind() {
		return kind;
	}

	public State getState() {
		return state;
	}

	public String getProgress() {
		return progress;
	}

	public @Nullable String getError() {
		return error;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public @Nullable Instant getFinishedAt() {
		return finishedAt;
	}
}
