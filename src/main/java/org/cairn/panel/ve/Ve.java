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

/** A customer's VE as the panel records it; its live state is the engine's. */
@Entity
@Table(name = "ve")
public class Ve {

	/** Where the VE is in its life as the panel sees it. */
	public enum Status {
		CREATING, READY, DESTROYING, MOVING
	}

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(name = "owner_id", nullable = false, updatable = false)
	private long ownerId;

	@Column(name = "plan_id", nullable = false)
	private long planId;

	@Column(name = "engine_name", nullable = false, updatable = false)
	private String engineName;

	@Column(nullable = false)
	private String hostname;

	@Column(nullable = false)
	private String template;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private Status status;

	@Column(name = "created_at", nullable = false, updatable = false)
	private Instant createdAt = Instant.now();

	/** The fleet's node that holds it; null for the panel's own node. */
	@Column(name = "node_id")
	private Long nodeId;

	@Column(name = "suspended_by_admin", nullable = false)
	private boolean suspendedByAdmin;

	protected Ve() {
	}

	Ve(long ownerId, long planId, String engineName, String hostname, String template) {
		this.ownerId = ownerId;
		this.planId = planId;
		this.engineName = engineName;
		this.hostname = hostname;
		this.template = template;
		this.status = Status.CREATING;
	}

	public Long getId() {
		return id;
	}

	public long getOwnerId() {
		return ownerId;
	}

	public long getPlanId() {
		return planId;
	}

	public String getEngineName() {
		return engineName;
	}

	public String getHostname() {
		return hostname;
	}

	public String getTemplate() {
		return template;
	}

	void setHostname(String hostname) {
		this.hostname = hostname;
	}

	void setTemplate(String template) {
		this.template = template;
	}

	public Status getStatus() {
		return status;
	}

	void setStatus(Status status) {
		this.status = status;
	}

	public boolean isSuspendedByAdmin() {
		return suspendedByAdmin;
	}

	void setSuspendedByAdmin(boolean suspendedByAdmin) {
		this.suspendedByAdmin = suspendedByAdmin;
	}

	public Long getNodeId() {
		return nodeId;
	}

	void setNodeId(Long nodeId) {
		this.nodeId = nodeId;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}
}
