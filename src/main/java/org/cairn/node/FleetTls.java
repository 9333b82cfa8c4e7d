// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The panel's side of mutual TLS with a node: it shows its own certificate, and trusts a node whose certificate the
 * fleet's authority signed (and that names the address it is reached at, which the HTTP client checks) <em>and</em>
 * whose SHA-256 is one the panel pinned for that node at its join or its last rotation. A certificate of the same
 * authority held by another node is refused.
 */
public final class FleetTls {

	private FleetTls() {
	}

	/**
	 * @param key the panel's private key
	 * @param chain the panel's certificate, then the authority's
	 * @param authority the fleet's authority
	 * @param pins the SHA-256 (hex) of the node's certificates that are accepted, read at each handshake (two while
	 * a rotation is under way)
	 */
	public static SSLContext client(PrivateKey key, X509Certificate[] chain, X509Certificate authority,
			Supplier<Set<String>> pins) {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("panel", key, new char[0], chain);
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, new char[0]);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("fleet", authority);
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trusted);
			X509ExtendedTrustManager byAuthority = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
			SSLContext tls = SSLContext.getInstance("TLSv1.3");
			tls.init(keyManagers.getKeyManagers(), new TrustManager[] { new Pinned(byAuthority, pins) }, null);
			return tls;
		}
		catch (GeneralSecurityException | java.io.IOException ex) {
			throw new IllegalStateException("the panel's TLS identity cannot be loaded: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The certificate the node at {@code host:port} serves now, on a connection of its own (pooled
	 * connections keep the certificate they began with), checked by the authority alone: what a rotation waits for.
	 */
	public static X509Certificate servedCertificate(String host, int port, SSLContext tls) throws java.io.IOException {
		try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket()) {
			socket.connect(new java.net.InetSocketAddress(host, port), 5000);
			socket.setSoTimeout(5000);
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	/** The authority's checks (chain, dates, host name), then the pin. */
	private static final class Pinned extends X509ExtendedTrustManager {

		private final X509ExtendedTrustManager byAuthority;

		private final Supplier<Set<String>> pins;

		Pinned(X509ExtendedTrustManager byAuthority, Supplier<Set<String>> pins) {
			this.byAuthority = byAuthority;
			this.pins = pins;
		}

		private void pinned(X509Certificate[] chain) throws CertificateException {
			String sha256 = FleetCrypto.sha256(chain[0]);
			if (!pins.get().contains(sha256)) {
				throw new CertificateException("the node's certificate (SHA-256 " + sha256
						+ ") is not the one the panel gave this node");
			}
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			byAuthority.checkServerTrusted(chain, authType, socket);
			pinned(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			byAuthority.checkServerTrusted(chain, authType, engine);
			pinned(chain);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			byAuthority.checkServerTrusted(chain, authType);
			pinned(chain);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("the panel is no server here");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("the panel is no server here");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("the panel is no server here");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return byAuthority.getAcceptedIssuers();
		}
	}
}
