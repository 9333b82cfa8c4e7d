// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cairn.engine.EngineException;

/**
 * The node's TLS identity in its folder, and its rotation without a restart: the panel asks for a certificate request
 * for a new key (kept as {@code node.key.next} until its certificate comes), signs it, and sends the certificate
 * back; the node checks it against the authority and the new key, then puts key and certificate in place. The
 * agent's PEM bundle reloads from the files; connections open meanwhile go on with the old certificate, which the
 * panel accepts until it sees the new one served.
 */
final class NodeIdentity {

	private static final String NEXT = "node.key.next";

	private final Path dir;

	/** The new key's public half, until its certificate comes (an agent restarted meanwhile asks for a new one). */
	private PublicKey pending;

	NodeIdentity(Path dir) {
		this.dir = dir;
	}

	/** A new key, kept aside, and a certificate request for it (PEM). */
	synchronized String request() {
		try {
			KeyPair key = FleetCrypto.newKeyPair();
			NodeJoin.write(dir, NEXT, FleetCrypto.pem(new JcaPKCS8Generator(key.getPrivate(), null)));
			pending = key.getPublic();
			return FleetCrypto.pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=rotating node"),
					key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new EngineException("certificate request: " + ex.getMessage(), ex);
		}
	}

	/** Puts the new key and its certificate in place once the certificate is the authority's, for the new key. */
	synchronized void install(String certificatePem) {
		try {
			if (pending == null || !Files.exists(dir.resolve(NEXT))) {
				throw new EngineException("certificate: no certificate request is under way on this node");
			}
			X509Certificate certificate = NodeJoin.certificate(certificatePem);
			X509Certificate authority = NodeJoin.certificate(Files.readString(dir.resolve("ca.crt")));
			certificate.verify(authority.getPublicKey());
			certificate.checkValidity();
			if (!certificate.getPublicKey().equals(pending)) {
				throw new EngineException("certificate: it is not for the key this node made for it");
			}
			// the certificate first: the bundle reloads once both have settled
			NodeJoin.write(dir, "node.crt", certificatePem);
			Files.move(dir.resolve(NEXT), dir.resolve("node.key"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
			pending = null;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new EngineException("certificate: " + ex.getMessage(), ex);
		}
	}
}
