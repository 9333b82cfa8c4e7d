// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of the audit log; never changed once written. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, updatable = false)
	private Instant at;

	@Column(nullable = false, updatable = false)
	private String actor;

	@Column(nullable = false, updatable = false)
	private String action;

	@Column(updatable = false)
	private String target;

	@Column(name = "source_address", updatable = false)
	private String sourceAddress;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, updatable = false)
	private Outcome outcome;

	@Column(updatable = false)
	private String detail;

	protected AuditEntry() {
	}

	AuditEntry(Instant at, String actor, String action, String target, String sourceAddress, Outcome outcome,
			String detail) {
		this.at = at;
		this.actor = actor;
		this.action = action;
		this.target = target;
		this.sourceAddress = sourceAddress;
		this.outcome = outcome;
		this.detail = detail;
	}

	public Long getId() {
		return id;
	}

	public Instant getAt() {
		return at;
	}

	/** The time in UTC, to the second, as pages show it. */
	public String atUtc() {
		return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
			.withZone(java.time.ZoneOffset.UTC)
			.format(at);
	}

	public String getActor() {
		return actor;
	}

	public String getAction() {
		return action;
	}

	public String getTarget() {
		return target;
	}

	public String getSourceAddress() {
		return sourceAddress;
	}

	public Outcome getOutcome() {
		return outcome;
	}

	public String getDetail() {
		return detail;
	}
}
