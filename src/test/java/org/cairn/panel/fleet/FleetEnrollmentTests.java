// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.cairn.engine.Trees;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestBrowser;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.database.ManagedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node joins the fleet: an admin adds it through the API and gets a one-time token; {@code cairn node join} on
 * the node spends it against the panel served on a real port and keeps a certificate the panel's authority signed.
 * A spent, expired or foreign token, a bad request and an authority other than the token's are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD })
class FleetEnrollmentTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	FleetAuthority authority;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	private Path dir;

	private String adminToken;

	/**
	 * A database of this class's own: the nodes it joins are seen by no other test's panel (whose health checks,
	 * with another authority, would mark them unreachable), and no other panel's nodes are seen here.
	 */
	private static final ManagedPostgres DATABASE = TestDatabase.startThrowAway("fleet-enrollment");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, DATABASE);
		PanelEngine.register(registry);
	}

	@BeforeEach
	void open() throws Exception {
		dir = Files.createTempDirectory("cairn-fleet-join-");
		adminToken = TestBrowser.token(port, PanelTest.ADMIN, PanelTest.ADMIN_PASSWORD);
	}

	@AfterEach
	void close() {
		Trees.delete(dir);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private HttpResponse<String> post(String path, String json, boolean asAdmin) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (asAdmin) {
			request.header("Authorization", "Bearer " + adminToken);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static FleetTestNode.Run cairn(String... args) {
		return FleetTestNode.cairn(args);
	}

	private JsonNode addNode(String name) throws Exception {
		HttpResponse<String> added = post("/api/v1/admin/nodes",
				"{\"name\":\"" + name + "\",\"address\":\"127.0.0.1:9443\"}", true);
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		return JSON.readTree(added.body());
	}

	private static String unique(String prefix) {
		return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
	}

	@Test
	void aNodeJoinsWithItsTokenOnceAndKeepsACertificateOfThePanelsAuthority() throws Exception {
		String name = unique("node");
		JsonNode added = addNode(name);
		assertThat(added.path("node").path("state").asString()).isEqualTo("waiting");
		String token = added.path("joinToken").asString();
		assertThat(token).matches("join_[A-Za-z0-9_-]{43}\\.[0-9a-f]{64}").endsWith("." + authority.fingerprint());

		Path home = dir.resolve("node");
		FleetTestNode.Run joined = cairn("node", "join", "http://127.0.0.1:" + port, token, "--dir", home.toString());
		assertThat(joined.exitCode()).as(joined.err()).isZero();
		assertThat(joined.out()).contains("joined the fleet as " + name);
		assertThat(Files.getPosixFilePermissions(home.resolve("node.key")))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
		X509Certificate certificate = read(home.resolve("node.crt"));
		certificate.verify(authority.certificate().getPublicKey());
		assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + name);
		assertThat(read(home.resolve("ca.crt"))).isEqualTo(authority.certificate());
		String pinned = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		assertThat(jdbc.sql("select state || ' ' || certificate_sha256 from fleet_node where name = ?").param(name)
			.query(String.class).single()).isEqualTo("active " + pinned);

		// the token is spent: a second node, or a replay, gets nothing
		FleetTestNode.Run replay = cairn("node", "join", "http://127.0.0.1:" + port, token, "--dir", dir.resolve("thief").toString());
		assertThat(replay.exitCode()).isEqualTo(1);
		assertThat(replay.err()).contains("the panel refused (HTTP 401)").contains("unknown, used or expired");
		assertThat(dir.resolve("thief")).doesNotExist();
		assertThat(audit.find(new AuditFilter("anonymous", "NODE_JOIN", Outcome.DENIED, null, null), 0).getContent())
			.isNotEmpty();
		assertThat(cairn("node", "join", "http://127.0.0.1:" + port, token, "--dir", home.toString()).err())
			.contains("has joined already");
	}

	@Test
	void badRequestsAreRefusedAndLeaveTheTokenUnspent() throws Exception {
		String name = unique("node");
		String token = addNode(name).path("joinToken").asString();
		HttpResponse<String> noRequest = post("/api/v1/fleet/join", "{\"token\":\"" + token + "\",\"csr\":\"x\"}", false);
		assertThat(noRequest.statusCode()).isEqualTo(400);
		assertThat(noRequest.body()).contains("csr");
		assertThat(cairn("node", "join", "http://127.0.0.1:" + port, "not-a-token").err()).contains("not a join token");

		HttpResponse<String> badName = post("/api/v1/admin/nodes", "{\"name\":\"Bad_Name\",\"address\":\"x:1\"}", true);
		assertThat(badName.statusCode()).isEqualTo(400);
		assertThat(badName.body()).contains("name");
		HttpResponse<String> badAddress = post("/api/v1/admin/nodes", "{\"name\":\"fine\",\"address\":\"no port\"}", true);
		assertThat(badAddress.statusCode()).isEqualTo(400);
		assertThat(badAddress.body()).contains("address");
		assertThat(post("/api/v1/admin/nodes", "{\"name\":\"" + name + "\",\"address\":\"h:1\"}", true).body())
			.contains("exists already");
		assertThat(post("/api/v1/admin/nodes", "{\"name\":\"anon\",\"address\":\"h:1\"}", false).statusCode())
			.isIn(401, 403);
		assertThat(jdbc.sql("select count(*) from fleet_node where name = 'anon'").query(Long.class).single()).isZero();

		// the token survived the bad request
		FleetTestNode.Run joined = cairn("node", "join", "http://127.0.0.1:" + port, token, "--dir", dir.resolve("n").toString());
		assertThat(joined.exitCode()).as(joined.err()).isZero();
	}

	@Test
	void anExpiredTokenOrAnotherAuthorityIsRefused() throws Exception {
		String late = unique("late");
		String expired = addNode(late).path("joinToken").asString();
		jdbc.sql("update fleet_node set join_expires_at = now() - interval '1 minute' where name = ?").param(late)
			.update();
		FleetTestNode.Run refused = cairn("node", "join", "http://127.0.0.1:" + port, expired, "--dir", dir.resolve("a").toString());
		assertThat(refused.exitCode()).isEqualTo(1);
		assertThat(refused.err()).contains("HTTP 401");
		assertThat(audit.find(new AuditFilter("anonymous", "NODE_JOIN", Outcome.DENIED, null, null), 0).getContent())
			.anyMatch(entry -> "an expired token".equals(entry.getDetail()) && ("node:" + late).equals(entry.getTarget()));

		// what a node given a token for another panel (or met by someone in between) sees: nothing is kept
		String token = addNode(unique("node")).path("joinToken").asString();
		String foreign = token.substring(0, token.indexOf('.') + 1) + "0".repeat(64);
		FleetTestNode.Run mismatch = cairn("node", "join", "http://127.0.0.1:" + port, foreign, "--dir", dir.resolve("b").toString());
		assertThat(mismatch.exitCode()).isEqualTo(1);
		assertThat(mismatch.err()).contains("an authority other than the one the token names");
		assertThat(dir.resolve("b/node.key")).doesNotExist();
	}

	private static X509Certificate read(Path pem) throws Exception {
		try (var in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}
}
