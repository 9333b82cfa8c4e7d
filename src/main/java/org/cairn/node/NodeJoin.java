// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cairn node join PANEL_URL TOKEN}: the node makes its key (it never leaves the node), sends a certificate
 * request with the admin's one-time token, checks that the authority the panel sends back is the one the token names
 * (its SHA-256, so that nobody between the node and the panel can slip in their own), and keeps key, certificate and
 * authority in its folder ({@code /etc/cairn/node}: the key readable by root only).
 */
public final class NodeJoin {

	private static final String TOKEN = "join_[A-Za-z0-9_-]{43}\\.[0-9a-f]{64}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private NodeJoin() {
	}

	/** Joins the panel at {@code panel} and returns the name it gave this node. */
	public static String join(URI panel, String token, Path dir) {
		String given = token == null ? "" : token.strip();
		if (!given.matches(TOKEN)) {
			throw new JoinException("token: not a join token (join_..., as the panel's nodes page or API gave it)");
		}
		if (Files.exists(dir.resolve("node.key"))) {
			throw new JoinException("this node has joined already (" + dir + "); remove that folder to join again");
		}
		String pinned = given.substring(given.indexOf('.') + 1);
		try {
			KeyPair key = FleetCrypto.newKeyPair();
			String csr = FleetCrypto.pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=joining node"),
					key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
			JsonNode answer = post(panel.resolve("/api/v1/fleet/join"),
					JSON.writeValueAsString(Map.of("token", given, "csr", csr)));
			X509Certificate authority = certificate(answer.path("authority").asString());
			X509Certificate certificate = certificate(answer.path("certificate").asString());
			if (!FleetCrypto.sha256(authority).equals(pinned)) {
				throw new JoinException("the panel sent an authority other than the one the token names: is something"
						+ " between this node and " + panel + "? Nothing was kept");
			}
			certificate.verify(authority.getPublicKey());
			if (!certificate.getPublicKey().equals(key.getPublic())) {
				throw new JoinException("the panel's certificate is not for this node's key; nothing was kept");
			}
			keep(dir, FleetCrypto.pem(new JcaPKCS8Generator(key.getPrivate(), null)), FleetCrypto.pem(certificate),
					FleetCrypto.pem(authority));
			return answer.path("name").asString();
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new JoinException("join: " + ex.getMessage(), ex);
		}
	}

	private static JsonNode post(URI uri, String body) throws IOException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response;
		try {
			response = http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new JoinException("join: interrupted");
		}
		catch (IOException ex) {
			throw new JoinException("join: cannot reach the panel at " + uri + ": " + ex.getMessage(), ex);
		}
		if (response.statusCode() != 200) {
			String detail;
			try {
				detail = JSON.readTree(response.body()).path("detail").asString();
			}
			catch (RuntimeException ex) {
				detail = "";
			}
			throw new JoinException("the panel refused (HTTP " + response.statusCode() + ")"
					+ (detail.isBlank() ? "" : ": " + detail));
		}
		return JSON.readTree(response.body());
	}

	/** Written under temporary names and moved, the key last: a half-done join leaves no key behind. */
	private static void keep(Path dir, String key, String certificate, String authority) throws IOException {
		Files.createDirectories(dir);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		write(dir, "ca.crt", authority);
		write(dir, "node.crt", certificate);
		write(dir, "node.key", key);
	}

	static void write(Path dir, String name, String text) throws IOException {
		Path tmp = Files.createTempFile(dir, name, ".tmp",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(tmp, text);
		if (!name.endsWith(".key")) {
			Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
		}
		Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	static X509Certificate certificate(String pem) throws IOException, GeneralSecurityException {
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			if (parser.readObject() instanceof X509CertificateHolder holder) {
				return new JcaX509CertificateConverter().getCertificate(holder);
			}
		}
		throw new JoinException("the panel's answer holds no certificate");
	}
}
