// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.cairn.node.FleetCrypto;

/**
 * The certificate a panel instance shows its nodes: {@code CN=cairn-panel}, the one name a node's agent lets in.
 * Each instance makes its own key in memory at start and has the authority sign it; nothing is written, so nothing
 * is to rotate or steal on disk: a new one is made when half of its life has gone.
 */
record PanelIdentity(PrivateKey key, X509Certificate certificate, X509Certificate authority) {

	static final String NAME = "cairn-panel";

	static final Duration VALIDITY = Duration.ofDays(30);

	static PanelIdentity issue(FleetAuthority by) {
		try {
			KeyPair pair = FleetCrypto.newKeyPair();
			var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + NAME), pair.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
			X509Certificate certificate = by.issue(new JcaPKCS10CertificationRequest(request.getEncoded()), NAME,
					VALIDITY);
			return new PanelIdentity(pair.getPrivate(), certificate, by.certificate());
		}
		catch (GeneralSecurityException | OperatorCreationException | java.io.IOException ex) {
			throw new IllegalStateException("the panel's certificate for its nodes cannot be made: " + ex.getMessage(), ex);
		}
	}

	X509Certificate[] chain() {
		return new X509Certificate[] { certificate, authority };
	}

	/** Past half its life: time for a new one. */
	boolean aging(Instant now) {
		Instant from = certificate.getNotBefore().toInstant();
		Instant to = certificate.getNotAfter().toInstant();
		return now.isAfter(from.plus(Duration.between(from, to).dividedBy(2)));
	}
}
