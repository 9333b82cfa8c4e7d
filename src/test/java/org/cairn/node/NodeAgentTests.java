// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cairn.engine.TestEngine;
import org.cairn.engine.Trees;
import org.cairn.engine.VeSpec;
import org.cairn.panel.fleet.FleetAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node agent on a real port with its joined identity: the panel's certificate drives the engine; another
 * node's certificate of the same authority is turned away, and a stranger's certificate, no certificate, or a
 * client that trusts another authority get no TLS session at all.
 */
class NodeAgentTests {

	private static TestEngine test;

	private static Path dir;

	private static FleetAuthority authority;

	private static ConfigurableApplicationContext agent;

	private static int port;

	private static X509Certificate nodeCertificate;

	@BeforeAll
	static void start() throws Exception {
		test = TestEngine.create("auto");
		test.engine.create(new VeSpec("web", "busybox", "web"));
		dir = Files.createTempDirectory("cairn-node-agent-");
		authority = FleetAuthority.openOrCreate(dir.resolve("panel"));
		KeyPair node = FleetCrypto.newKeyPair();
		Path identity = Files.createDirectories(dir.resolve("node"));
		Files.writeString(identity.resolve("node.key"), FleetCrypto.pem(new JcaPKCS8Generator(node.getPrivate(), null)));
		var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=node-a"), node.getPublic())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(node.getPrivate()));
		// added at 127.0.0.1:PORT, the node's certificate names that address too
		X509Certificate certificate = authority.issue(new JcaPKCS10CertificationRequest(request.getEncoded()), "node-a",
				Duration.ofDays(1), java.util.List.of("127.0.0.1"));
		Files.writeString(identity.resolve("node.crt"), FleetCrypto.pem(certificate));
		nodeCertificate = certificate;
		Files.writeString(identity.resolve("ca.crt"), FleetCrypto.pem(authority.certificate()));
		agent = NodeAgentApplication.start(identity, "127.0.0.1", 0, test.settings);
		port = ((WebServerApplicationContext) agent).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		try {
			if (agent != null) {
				agent.close();
			}
			if (test != null) {
				test.close();
			}
		}
		finally {
			if (dir != null) {
				Trees.delete(dir);
			}
		}
	}

	private static X509Certificate issue(FleetAuthority by, KeyPair key, String name) throws Exception {
		return issue(by, key, name, Duration.ofDays(1));
	}

	/** A negative {@code validity} gives a certificate that has ended (it began five minutes ago). */
	private static X509Certificate issue(FleetAuthority by, KeyPair key, String name, Duration validity)
			throws Exception {
		var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + name), key.getPublic())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
		return by.issue(new JcaPKCS10CertificationRequest(request.getEncoded()), name, validity,
				java.util.List.of("127.0.0.1"));
	}

	/** A client with the key and certificate of {@code name} from {@code issuer} (none: no client certificate). */
	private static HttpClient client(FleetAuthority issuer, String name, FleetAuthority trusted) throws Exception {
		return client(issuer, name, trusted, Duration.ofDays(1));
	}

	private static HttpClient client(FleetAuthority issuer, String name, FleetAuthority trusted, Duration validity)
			throws Exception {
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		if (issuer != null) {
			KeyPair key = FleetCrypto.newKeyPair();
			keys.setKeyEntry("client", key.getPrivate(), new char[0],
					new Certificate[] { issue(issuer, key, name, validity), issuer.certificate() });
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, new char[0]);
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("authority", trusted.certificate());
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void thePanelsCertificateDrivesTheEngine() throws Exception {
		HttpClient panel = client(authority, "cairn-panel", authority);
		HttpResponse<String> list = get(panel, "/v1/ves");
		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).contains("\"name\":\"web\"", "\"state\":\"STOPPED\"");
		HttpResponse<String> started = panel.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
				+ "/v1/ves/web/start")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		assertThat(test.engine.status("web").state().label()).isEqualTo("running");
		assertThat(get(panel, "/v1/ves/nothing-here").statusCode()).isEqualTo(404);
	}

	/** The panel's side: its certificate, the authority, and the node's fingerprint pinned. */
	private static RemoteVeEngine remote(String pinned) throws Exception {
		KeyPair panel = FleetCrypto.newKeyPair();
		X509Certificate certificate = issue(authority, panel, "cairn-panel");
		return new RemoteVeEngine("node-a", URI.create("https://127.0.0.1:" + port), FleetTls.client(panel.getPrivate(),
				new X509Certificate[] { certificate, authority.certificate() }, authority.certificate(),
				() -> java.util.Set.of(pinned)));
	}

	@Test
	void theRemoteEngineCarriesTheFacadeAndAConsole() throws Exception {
		RemoteVeEngine node = remote(FleetCrypto.sha256(nodeCertificate));
		test.engine.create(new VeSpec("shell", "busybox", "shell.example"));
		assertThat(node.status("shell").state()).isEqualTo(org.cairn.engine.VeState.STOPPED);
		assertThat(node.start("shell").state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
		assertThat(node.status("shell").initPid()).isPresent();
		// a customer's new VE: made and started in one call
		assertThat(node.createAndStart(new VeSpec("both", "busybox", "both.example"), false).state())
			.isEqualTo(org.cairn.engine.VeState.RUNNING);
		assertThat(test.engine.status("both").state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
		node.destroy("both");
		assertThat(node.limits("shell")).isEqualTo(test.engine.limits("shell"));
		assertThat(node.network("shell")).isEqualTo(test.engine.network("shell"));
		assertThat(node.usage("shell").processes()).isPositive();
		// one call reads every running VE of the node
		assertThat(node.readings()).anySatisfy(reading -> {
			assertThat(reading.status().name()).isEqualTo("shell");
			assertThat(reading.usage().processes()).isPositive();
		});
		assertThat(node.facts().templates()).contains("busybox");
		assertThatThrownBy(() -> node.status("nothing-here")).isInstanceOf(org.cairn.engine.EngineException.NotFound.class);
		assertThatThrownBy(() -> node.setHostname("shell", "not a host!")).isInstanceOf(org.cairn.engine.EngineException.class)
			.hasMessageContaining("host name");

		// a shell on a terminal in the VE, through the agent's WebSocket
		try (org.cairn.engine.VeConsole console = node.console("shell", java.util.List.of("/bin/sh"), 24, 80)) {
			console.input().write("stty size; echo remote-$((6*7))\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			console.input().flush();
			assertThat(readUntil(console.output(), "remote-42")).contains("24 80");
			console.resize(30, 100);
			console.input().write("stty size\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertThat(readUntil(console.output(), "30 100")).contains("30 100");
		}
		assertThatThrownBy(() -> node.console("nothing-here", java.util.List.of("/bin/sh"), 24, 80))
			.isInstanceOf(org.cairn.engine.EngineException.NotFound.class);
		test.engine.stop("shell", Duration.ofSeconds(5));
	}

	@Test
	void aNodeWhoseCertificateIsNotThePinnedOneIsNotTrusted() throws Exception {
		// a certificate of the right authority, but not the one the panel gave this node: another node at its address
		RemoteVeEngine impostor = remote("0".repeat(64));
		assertThatThrownBy(impostor::list).isInstanceOf(org.cairn.engine.EngineException.Unreachable.class)
			.hasMessageContaining("node-a does not answer");
	}

	private static String readUntil(java.io.InputStream in, String wanted) throws Exception {
		StringBuilder seen = new StringBuilder();
		long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		byte[] buffer = new byte[4096];
		while (!seen.toString().contains(wanted)) {
			assertThat(System.nanoTime()).as("'" + wanted + "' within 20 s; seen: " + seen).isLessThan(until);
			int n = in.read(buffer);
			assertThat(n).as("the console ended; seen: " + seen).isPositive();
			seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
		}
		return seen.toString();
	}

	@Test
	void anotherNodeOfTheSameAuthorityIsTurnedAway() throws Exception {
		HttpResponse<String> refused = get(client(authority, "node-b", authority), "/v1/ves");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).doesNotContain("web");
	}

	@Test
	void certificatesThatHaveEndedAreRefusedBothWays() throws Exception {
		// the panel's, at the node
		assertThatThrownBy(() -> get(client(authority, "cairn-panel", authority, Duration.ofMinutes(-1)), "/v1/ves"))
			.isInstanceOf(IOException.class);
		// a node's, at the panel: a server of the fleet's authority, pinned, whose certificate has ended
		KeyPair key = FleetCrypto.newKeyPair();
		X509Certificate ended = issue(authority, key, "node-old", Duration.ofMinutes(-1));
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry("node", key.getPrivate(), new char[0], new Certificate[] { ended, authority.certificate() });
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, new char[0]);
		SSLContext serving = SSLContext.getInstance("TLSv1.3");
		serving.init(keyManagers.getKeyManagers(), null, null);
		try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) serving.getServerSocketFactory()
			.createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			Thread.ofVirtual().start(() -> {
				try (var socket = (javax.net.ssl.SSLSocket) server.accept()) {
					socket.startHandshake();
				}
				catch (IOException ex) {
					// the panel hangs up: what is tested
				}
			});
			KeyPair panel = FleetCrypto.newKeyPair();
			RemoteVeEngine old = new RemoteVeEngine("node-old", URI.create("https://127.0.0.1:" + server.getLocalPort()),
					FleetTls.client(panel.getPrivate(),
							new X509Certificate[] { issue(authority, panel, "cairn-panel"), authority.certificate() },
							authority.certificate(), () -> java.util.Set.of(FleetCrypto.sha256(ended))));
			assertThatThrownBy(old::facts).isInstanceOfSatisfying(org.cairn.engine.EngineException.Unreachable.class,
					refused -> assertThat(refused.trustRefused()).as(refused.getMessage()).isTrue())
				.hasMessageContaining("TLS refused");
		}
	}

	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void strangersGetNoTlsSession(org.springframework.boot.test.system.CapturedOutput log) throws Exception {
		FleetAuthority stranger = FleetAuthority.openOrCreate(dir.resolve("stranger"));
		assertThatThrownBy(() -> get(client(stranger, "cairn-panel", authority), "/v1/ves")).isInstanceOf(IOException.class);
		// the node's log says who was turned away, and why
		long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!log.getOut().contains("Handshake failed for client connection from IP address [127.0.0.1]")
				&& System.nanoTime() < until) {
			Thread.sleep(50);
		}
		assertThat(log.getOut()).contains("Handshake failed for client connection from IP address [127.0.0.1]")
			.contains("SSLHandshakeException");
		assertThatThrownBy(() -> get(client(null, null, authority), "/v1/ves")).isInstanceOf(IOException.class);
		// a panel that trusts another authority does not talk to this node either
		assertThatThrownBy(() -> get(client(authority, "cairn-panel", stranger), "/v1/ves")).isInstanceOf(IOException.class);
	}
}
