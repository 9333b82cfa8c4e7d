// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.cairn.engine.EngineException;
import org.cairn.node.FleetCrypto;
import org.cairn.node.RemoteVeEngine;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.audit.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet's nodes: an admin adds one and gets a one-time join token; {@code cairn node join} on the node spends it
 * for a certificate signed by the panel's {@link FleetAuthority}, under the name the admin gave (a node cannot claim
 * another's). The token is {@code join_SECRET.FINGERPRINT}: the panel keeps only a SHA-256 of the secret, and the
 * node checks the authority it is sent against the fingerprint before it trusts it. Adding and joining are audited,
 * refusals too.
 */
@Service
public class FleetNodes {

	static final String PREFIX = "join_";

	/** How long an added node may take to join. */
	static final Duration JOIN_WINDOW = Duration.ofHours(24);

	/** How long a node's certificate holds (rotation comes before). */
	static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);

	/** A node added, with the token to give to {@code cairn node join}; the token is shown this once. */
	public record AddedNode(FleetNode node, String joinToken) {
	}

	/** What a joining node takes home: its name, its certificate and the authority's, as PEM. */
	public record Joined(String name, String certificate, String authority) {
	}

	private final JdbcClient jdbc;

	private final FleetAuthority authority;

	private final ApplicationEventPublisher events;

	private final SecureRandom random = new SecureRandom();

	private final FleetEngines engines;

	FleetNodes(JdbcClient jdbc, FleetAuthority authority, ApplicationEventPublisher events, FleetEngines engines) {
		this.engines = engines;
		this.jdbc = jdbc;
		this.authority = authority;
		this.events = events;
	}

	public AddedNode add(@Nullable String name, @Nullable String address) {
		return add(name, address, null);
	}

	@Transactional
	public AddedNode add(@Nullable String name, @Nullable String address, @Nullable String group) {
		String label = name == null ? "" : name.strip();
		if (!label.matches("[a-z][a-z0-9-]{0,62}")) {
			throw new FleetException("name", "a lower-case letter, then at most 62 letters, digits or '-'");
		}
		String where = checkAddress(address);
		String inGroup = NodeGroups.parse("group", group);
		if (jdbc.sql("select count(*) from fleet_node where name = ?").param(label).query(Long.class).single() > 0) {
			throw new FleetException("name", "a node named " + label + " exists already");
		}
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = Instant.now();
		long id = jdbc.sql("""
				insert into fleet_node (name, address, state, join_token_hash, join_expires_at, created_at, node_group)
				values (?, ?, 'waiting', ?, ?, ?, ?) returning id""")
			.params(label, where, sha256(secret), Timestamp.from(now.plus(JOIN_WINDOW)), Timestamp.from(now), inGroup)
			.query(Long.class)
			.single();
		events.publishEvent(new AuditedAction(null, "NODE_ADD", "node:" + label, Outcome.SUCCESS, where));
		return new AddedNode(get(id).orElseThrow(), secret + "." + authority.fingerprint());
	}

	@Transactional(readOnly = true)
	public List<FleetNode> all() {
		return jdbc.sql(SELECT + " order by name").query(FleetNodes::row).list();
	}

	@Transactional(readOnly = true)
	public Optional<FleetNode> get(long id) {
		return jdbc.sql(SELECT + " where id = ?").param(id).query(FleetNodes::row).optional();
	}

	/**
	 * Puts a joined node in {@code active} (takes new VEs), {@code draining} (takes none; its VEs stay and are
	 * served) or {@code maintenance} (takes none, and its silence is expected). Audited.
	 */
	@Transactional
	public FleetNode setState(long id, @Nullable String state) {
		FleetNode node = get(id).orElseThrow(() -> new NodeNotFoundException(id));
		String wanted = state == null ? "" : state.strip();
		if (!List.of("active", "draining", "maintenance").contains(wanted)) {
			throw new FleetException("state", "active, draining or maintenance");
		}
		if (!node.joined()) {
			throw new FleetException("state", "node " + node.name() + " has not joined yet");
		}
		jdbc.sql("update fleet_node set state = ? where id = ?").params(wanted, id).update();
		events.publishEvent(new AuditedAction(null, "NODE_STATE", "node:" + node.name(), Outcome.SUCCESS,
				node.state() + " -> " + wanted));
		return get(id).orElseThrow();
	}

	/**
	 * Puts a node in a node group (null or blank: in none). Its VEs stay where they are; new ones of a plan pinned to
	 * the group may come. Audited.
	 */
	@Transactional
	public FleetNode setGroup(long id, @Nullable String group) {
		FleetNode node = get(id).orElseThrow(() -> new NodeNotFoundException(id));
		String wanted = NodeGroups.parse("group", group);
		jdbc.sql("update fleet_node set node_group = ? where id = ?").params(wanted, id).update();
		events.publishEvent(new AuditedAction(null, "NODE_GROUP", "node:" + node.name(), Outcome.SUCCESS,
				(node.group() == null ? "none" : node.group()) + " -> " + (wanted == null ? "none" : wanted)));
		return get(id).orElseThrow();
	}

	/**
	 * Removes a node that holds no VE (a waiting node's token dies with it). The panel forgets its certificate's
	 * fingerprint at once: it no longer talks to that node, whatever the node still holds. Audited.
	 */
	@Transactional
	public void remove(long id) {
		FleetNode node = jdbc.sql(SELECT + " where id = ? for update").param(id).query(FleetNodes::row).optional()
			.orElseThrow(() -> new NodeNotFoundException(id));
		long ves = jdbc.sql("select count(*) from ve where node_id = ?").param(id).query(Long.class).single();
		if (ves > 0) {
			throw new FleetException("node", "node " + node.name() + " holds " + ves + " VE" + (ves == 1 ? "" : "s")
					+ "; drain it and move or destroy them first");
		}
		List<String> pools = jdbc.sql("select name from ip_pool where node_id = ? order by name").param(id)
			.query(String.class).list();
		if (!pools.isEmpty()) {
			throw new FleetException("node", "node " + node.name() + " has the address pools " + String.join(", ", pools)
					+ "; delete them first");
		}
		jdbc.sql("delete from fleet_node where id = ?").param(id).update();
		engines.forget(id);
		events.publishEvent(new AuditedAction(null, "NODE_REMOVE", "node:" + node.name(), Outcome.SUCCESS,
				node.address()));
	}

	/**
	 * Rotates a joined node's certificate without stopping anything: the node makes a new key and asks for a
	 * certificate, the authority signs it, the panel accepts the old and the new fingerprint while the node puts the
	 * new one in place and reloads, and pins the new one alone once the node serves it. Audited.
	 */
	public FleetNode rotate(long id) {
		FleetNode node = get(id).orElseThrow(() -> new NodeNotFoundException(id));
		if (!node.joined()) {
			throw new FleetException("node", "node " + node.name() + " has not joined yet");
		}
		try {
			RemoteVeEngine remote = engines.remote(id);
			X509Certificate certificate = authority.issue(parseRequest(remote.certificateRequest()), node.name(),
					CERTIFICATE_VALIDITY, List.of(host(node.address())));
			String next = FleetCrypto.sha256(certificate);
			jdbc.sql("update fleet_node set next_certificate_sha256 = ? where id = ?").params(next, id).update();
			try {
				remote.installCertificate(FleetCrypto.pem(certificate));
			}
			catch (EngineException ex) {
				jdbc.sql("update fleet_node set next_certificate_sha256 = null where id = ?").param(id).update();
				throw ex;
			}
			events.publishEvent(new AuditedAction(null, "NODE_ROTATE", "node:" + node.name(), Outcome.SUCCESS,
					"certificate " + next.substring(0, 16)));
		}
		catch (EngineException ex) {
			events.publishEvent(new AuditedAction(null, "NODE_ROTATE", "node:" + node.name(), Outcome.FAILURE,
					ex.getMessage()));
			throw new FleetException("node", "the rotation of " + node.name() + " did not happen: " + ex.getMessage());
		}
		// the node reloads a second after its files settle
		for (int i = 0; i < 40 && !promoteIfServed(id); i++) {
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return get(id).orElseThrow();
	}

	/**
	 * Ends a rotation under way once the node serves its new certificate: from then on, that one alone is pinned.
	 * True when no rotation is under way (any more).
	 */
	public boolean promoteIfServed(long id) {
		String next = jdbc.sql("select next_certificate_sha256 from fleet_node where id = ?").param(id)
			.query(String.class).optional().orElse(null);
		if (next == null) {
			return true;
		}
		X509Certificate served;
		try {
			served = engines.servedCertificate(id);
		}
		catch (EngineException ex) {
			return false;
		}
		if (!FleetCrypto.sha256(served).equals(next)) {
			return false;
		}
		jdbc.sql("""
				update fleet_node set certificate_sha256 = next_certificate_sha256, next_certificate_sha256 = null,
				certificate_expires_at = ? where id = ? and next_certificate_sha256 = ?""")
			.params(Timestamp.from(served.getNotAfter().toInstant()), id, next)
			.update();
		// connections opened with the old certificate end with its pin
		engines.forget(id);
		return true;
	}

	private static String host(String address) {
		return URI.create("https://" + address).getHost().replaceAll("^\\[|\\]$", "");
	}

	/**
	 * Spends a join token for a certificate of the node it was made for. Refused (and audited) when the token is
	 * unknown, spent or expired; a request that is not a valid certificate request leaves the token unspent.
	 */
	@Transactional(noRollbackFor = JoinRefusedException.class)
	public Joined join(@Nullable String token, @Nullable String csr) {
		JcaPKCS10CertificationRequest request = parseRequest(csr);
		String secret = token == null ? "" : token.strip().replaceFirst("\\.[0-9a-f]{64}$", "");
		// the row is locked until this transaction ends: two joins with one token cannot both pass
		Optional<Waiting> waiting = jdbc.sql("""
				select id, name, join_expires_at, address from fleet_node where join_token_hash = ? for update""")
			.param(sha256(secret))
			.query((rs, row) -> new Waiting(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
					host(rs.getString(4))))
			.optional();
		if (waiting.isEmpty() || waiting.get().expires().isBefore(Instant.now())) {
			String why = waiting.isEmpty() ? "an unknown or used token" : "an expired token";
			events.publishEvent(new AuditedAction("anonymous", "NODE_JOIN",
					waiting.map(w -> "node:" + w.name()).orElse(null), Outcome.DENIED, why));
			throw new JoinRefusedException();
		}
		String name = waiting.get().name();
		X509Certificate certificate = authority.issue(request, name, CERTIFICATE_VALIDITY, List.of(waiting.get().host()));
		jdbc.sql("""
				update fleet_node set state = 'active', join_token_hash = null, join_expires_at = null,
				certificate_sha256 = ?, certificate_expires_at = ?, joined_at = ? where id = ?""")
			.params(FleetCrypto.sha256(certificate), Timestamp.from(certificate.getNotAfter().toInstant()),
					Timestamp.from(Instant.now()), waiting.get().id())
			.update();
		events.publishEvent(new AuditedAction("node:" + name, "NODE_JOIN", "node:" + name, Outcome.SUCCESS,
				"certificate " + FleetCrypto.sha256(certificate).substring(0, 16)));
		return new Joined(name, FleetCrypto.pem(certificate), FleetCrypto.pem(authority.certificate()));
	}

	private record Waiting(long id, String name, Instant expires, String host) {
	}

	private static final String SELECT = """
			select id, name, address, state, join_expires_at, certificate_sha256, certificate_expires_at, created_at,
			joined_at, last_contact_at, last_error, version, kernel, cgroup_version, memory_bytes, cpus, disk_bytes,
			disk_free_bytes, templates, node_group from fleet_node""";

	private static FleetNode row(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new FleetNode(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs.getTimestamp(5)),
				rs.getString(6), instant(rs.getTimestamp(7)), rs.getTimestamp(8).toInstant(), instant(rs.getTimestamp(9)),
				new FleetNode.Health(instant(rs.getTimestamp(10)), rs.getString(11), rs.getString(12), rs.getString(13),
						rs.getString(14), rs.getLong(15), rs.getInt(16), rs.getLong(17), rs.getLong(18),
						rs.getString(19).isEmpty() ? List.of() : List.of(rs.getString(19).split(","))),
				rs.getString(20));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	/** host:port where the node's agent will answer; a host name or an IP address (IPv6 in brackets). */
	private static String checkAddress(@Nullable String address) {
		String text = address == null ? "" : address.strip();
		try {
			URI uri = new URI("https://" + text);
			if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawPath().length() > 0
					|| uri.getRawQuery() != null || uri.getRawUserInfo() != null || text.length() > 255) {
				throw new FleetException("address", "host:port where the node's agent answers, e.g. node2.example:9443");
			}
		}
		catch (URISyntaxException ex) {
			throw new FleetException("address", "host:port where the node's agent answers, e.g. node2.example:9443");
		}
		return text;
	}

	private static JcaPKCS10CertificationRequest parseRequest(@Nullable String csr) {
		try (PEMParser parser = new PEMParser(new StringReader(csr == null ? "" : csr))) {
			if (parser.readObject() instanceof PKCS10CertificationRequest read) {
				JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(read);
				if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getPublicKey()))) {
					throw new FleetException("csr", "its signature does not match its key");
				}
				return request;
			}
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException ex) {
			// named below
		}
		catch (FleetException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// not a request at all: named below
		}
		throw new FleetException("csr", "a PEM certificate request (BEGIN CERTIFICATE REQUEST)");
	}

	static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
