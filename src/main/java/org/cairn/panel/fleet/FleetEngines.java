// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.node.FleetTls;
import org.cairn.node.RemoteVeEngine;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The engine of each node: the panel's own node's engine in this process (no network hop), and every joined node's
 * through its agent. A remote engine trusts its node by the fleet's authority and the fingerprint pinned in
 * {@code fleet_node}, read at each TLS handshake so that a rotation or a removal holds at once.
 */
@Component
public class FleetEngines {

	private final VeEngine local;

	private final boolean localNode;

	private final JdbcClient jdbc;

	private final FleetAuthority authority;

	private volatile PanelIdentity identity;

	private final Map<Long, RemoteVeEngine> remotes = new ConcurrentHashMap<>();

	/** Which node holds a VE (0: the panel's own), by its engine name: set at the create, changed only by a move. */
	/**
	 * Where VEs are, as last read (0: the panel's own node), for a few seconds: a VE moved by another panel instance
	 * is found on its new node after at most that (the old one refuses to start it meanwhile).
	 */
	private final Map<String, Placed> placed = new ConcurrentHashMap<>();

	private record Placed(long node, long readAt) {
	}

	private static final long PLACED_NANOS = java.time.Duration.ofSeconds(5).toNanos();

	FleetEngines(@Lazy @Qualifier("localVeEngine") VeEngine local, JdbcClient jdbc, FleetAuthority authority,
			@Value("${cairn.fleet.local-node:true}") boolean localNode) {
		this.local = local;
		this.localNode = localNode;
		this.jdbc = jdbc;
		this.authority = authority;
		this.identity = PanelIdentity.issue(authority);
	}

	/** The engine of the panel's own machine. */
	public VeEngine local() {
		return local;
	}

	/** Whether the panel's own machine takes new VEs ({@code cairn.fleet.local-node}; off with several panels). */
	public boolean hasLocalNode() {
		return localNode;
	}

	/** The engine of {@code nodeId}, or the panel's own for null. */
	public VeEngine of(@Nullable Long nodeId) {
		return nodeId == null ? local : remote(nodeId);
	}

	/** A joined node's engine; refused when the node is unknown or has not joined. */
	public RemoteVeEngine remote(long nodeId) {
		renewIdentity();
		return remotes.computeIfAbsent(nodeId, id -> {
			record Address(String name, String address) {
			}
			Address node = jdbc.sql("select name, address from fleet_node where id = ? and certificate_sha256 is not null")
				.param(id)
				.query((rs, row) -> new Address(rs.getString(1), rs.getString(2)))
				.optional()
				.orElseThrow(() -> new EngineException.NotFound("node " + id + " is not a joined node of this fleet"));
			PanelIdentity panel = identity;
			return new RemoteVeEngine(node.name(), URI.create("https://" + node.address()),
					FleetTls.client(panel.key(), panel.chain(), panel.authority(), () -> pins(id)));
		});
	}

	/** The node that holds the VE named {@code engineName}: empty for the panel's own node or a VE it does not know. */
	public Optional<Long> nodeOf(String engineName) {
		Placed known = placed.get(engineName);
		Long cached = known == null || System.nanoTime() - known.readAt() > PLACED_NANOS ? null : known.node();
		if (cached == null) {
			// 0 for the panel's own node; a VE the panel has no record of is not remembered (its record may come)
			cached = jdbc.sql("select coalesce(node_id, 0) from ve where engine_name = ?")
				.param(engineName)
				.query(Long.class)
				.optional()
				.orElse(null);
			if (cached == null) {
				return Optional.empty();
			}
			placed.put(engineName, new Placed(cached, System.nanoTime()));
		}
		return cached == 0 ? Optional.empty() : Optional.of(cached);
	}

	/** The VE was moved: the next call finds it on its new node. */
	public void moved(String engineName) {
		placed.remove(engineName);
	}

	/** The engine that holds the VE named {@code engineName}. */
	public VeEngine holding(String engineName) {
		return of(nodeOf(engineName).orElse(null));
	}

	/** The engine names of the VEs the panel placed on the node. */
	public List<String> vesOn(long nodeId) {
		return jdbc.sql("select engine_name from ve where node_id = ?").param(nodeId).query(String.class).list();
	}

	/** Forgets what was learnt of a node (its address, its pin, where its VEs are) after it changed. */
	public void forget(long nodeId) {
		RemoteVeEngine old = remotes.remove(nodeId);
		if (old != null) {
			old.close();
		}
		placed.values().removeIf(known -> known.node() == nodeId);
	}

	/** The fingerprints accepted for the node: its certificate's, and during a rotation the new one's too. */
	private Set<String> pins(long nodeId) {
		return jdbc.sql("""
				select certificate_sha256 from fleet_node where id = ? and certificate_sha256 is not null
				union select next_certificate_sha256 from fleet_node where id = ? and next_certificate_sha256 is not null""")
			.params(nodeId, nodeId)
			.query(String.class)
			.set();
	}

	/** The certificate the node serves on a new connection, if the panel trusts it (else Unreachable). */
	public java.security.cert.X509Certificate servedCertificate(long nodeId) {
		renewIdentity();
		record Address(String name, String address) {
		}
		Address node = jdbc.sql("select name, address from fleet_node where id = ?").param(nodeId)
			.query((rs, row) -> new Address(rs.getString(1), rs.getString(2))).single();
		URI uri = URI.create("https://" + node.address());
		PanelIdentity panel = identity;
		try {
			return FleetTls.servedCertificate(uri.getHost(), uri.getPort(),
					FleetTls.client(panel.key(), panel.chain(), panel.authority(), () -> pins(nodeId)));
		}
		catch (java.io.IOException ex) {
			throw new EngineException.Unreachable(node.name(), ex);
		}
	}

	private void renewIdentity() {
		if (identity.aging(Instant.now())) {
			synchronized (this) {
				if (identity.aging(Instant.now())) {
					identity = PanelIdentity.issue(authority);
					remotes.values().forEach(RemoteVeEngine::close);
					remotes.clear();
				}
			}
		}
	}
}
