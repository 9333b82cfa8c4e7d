// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cairn.engine.Trees;
import org.cairn.node.FleetCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fleet's certificate authority: made once with a key only root reads, and the certificates it signs. */
class FleetAuthorityTests {

	private Path dir;

	@BeforeEach
	void open() throws Exception {
		dir = Files.createTempDirectory("cairn-fleet-test-");
	}

	@AfterEach
	void close() {
		Trees.delete(dir);
	}

	private static JcaPKCS10CertificationRequest request(KeyPair signedWith, KeyPair naming, String cn) throws Exception {
		PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn),
				naming.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(signedWith.getPrivate()));
		return new JcaPKCS10CertificationRequest(request.getEncoded());
	}

	@Test
	void isMadeOnceWithAKeyOnlyRootReads() throws Exception {
		FleetAuthority made = FleetAuthority.openOrCreate(dir.resolve("fleet"));
		assertThat(Files.getPosixFilePermissions(dir.resolve("fleet/ca.key")))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Files.getPosixFilePermissions(dir.resolve("fleet")))
			.isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(made.certificate().getBasicConstraints()).isZero();
		assertThat(made.certificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3000)));
		try (var files = Files.list(dir.resolve("fleet"))) {
			assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.key", "ca.crt");
		}
		FleetAuthority reopened = FleetAuthority.openOrCreate(dir.resolve("fleet"));
		assertThat(reopened.fingerprint()).isEqualTo(made.fingerprint()).matches("[0-9a-f]{64}");
	}

	@Test
	void signsANodeUnderTheNameThePanelGivesIt() throws Exception {
		FleetAuthority authority = FleetAuthority.openOrCreate(dir.resolve("fleet"));
		KeyPair node = FleetCrypto.newKeyPair();
		X509Certificate issued = authority.issue(request(node, node, "some-other-name"), "node-7", Duration.ofDays(90));

		issued.verify(authority.certificate().getPublicKey());
		assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=node-7");
		assertThat(issued.getPublicKey()).isEqualTo(node.getPublic());
		assertThat(issued.getBasicConstraints()).isEqualTo(-1);
		assertThat(issued.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
		assertThat(issued.getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofDays(89)),
				Instant.now().plus(Duration.ofDays(91)));
	}

	@Test
	void refusesARequestNotSignedByItsKeyAndAStrangerAuthorityDoesNotVerify() throws Exception {
		FleetAuthority authority = FleetAuthority.openOrCreate(dir.resolve("fleet"));
		KeyPair claimed = FleetCrypto.newKeyPair();
		KeyPair thief = FleetCrypto.newKeyPair();
		assertThatThrownBy(() -> authority.issue(request(thief, claimed, "node-1"), "node-1", Duration.ofDays(1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("signature does not match its key");

		FleetAuthority stranger = FleetAuthority.openOrCreate(dir.resolve("stranger"));
		X509Certificate foreign = stranger.issue(request(claimed, claimed, "node-1"), "node-1", Duration.ofDays(1));
		assertThatThrownBy(() -> foreign.verify(authority.certificate().getPublicKey()))
			.isInstanceOf(java.security.SignatureException.class);
		assertThat(stranger.fingerprint()).isNotEqualTo(authority.fingerprint());
	}
}
