// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.cairn.node.FleetCrypto;

/**
 * The panel's certificate authority for its fleet: it signs the certificate of every node that joins (and the
 * panel's own, which nodes ask for), so that panel and nodes accept nobody else over mutual TLS. Made at the first
 * start under {@code DIR} ({@code ca.key}, readable by root only, and {@code ca.crt}); EC P-256, as the certificates
 * it signs. Nothing else in Cairn holds the key.
 */
public final class FleetAuthority {

	private static final String SIGNATURE = "SHA256withECDSA";

	private static final Duration CA_VALIDITY = Duration.ofDays(3650);

	private final PrivateKey key;

	private final X509Certificate certificate;

	private FleetAuthority(PrivateKey key, X509Certificate certificate) {
		this.key = key;
		this.certificate = certificate;
	}

	/** The authority kept in {@code dir}, made there when it is not yet. */
	public static FleetAuthority openOrCreate(Path dir) {
		Path keyFile = dir.resolve("ca.key");
		Path certificateFile = dir.resolve("ca.crt");
		try {
			if (!Files.exists(keyFile)) {
				create(dir, keyFile, certificateFile);
			}
			return new FleetAuthority(readKey(keyFile), readCertificate(certificateFile));
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot open the fleet's certificate authority in " + dir + ": "
					+ ex.getMessage(), ex);
		}
	}

	public X509Certificate certificate() {
		return certificate;
	}

	/** SHA-256 of the authority's certificate, which a joining node pins before it sends anything. */
	public String fingerprint() {
		return FleetCrypto.sha256(certificate);
	}

	/**
	 * Signs a node's (or the panel's) request: the certificate names {@code name}, whatever the request asked for
	 * (the panel decides who a node is), serves as both TLS client and server, and ends after {@code validity}.
	 * A request whose signature does not hold is refused.
	 */
	public X509Certificate issue(JcaPKCS10CertificationRequest request, String name, Duration validity) {
		return issue(request, name, validity, java.util.List.of());
	}

	/**
	 * As above; the certificate also names {@code hosts} (host names or IP addresses where the node answers), so that
	 * the panel, calling the node at its address, finds it in the certificate as TLS clients check.
	 */
	public X509Certificate issue(JcaPKCS10CertificationRequest request, String name, Duration validity,
			java.util.List<String> hosts) {
		try {
			ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(request.getPublicKey());
			if (!request.isSignatureValid(verifier)) {
				throw new IllegalArgumentException("certificate request: its signature does not match its key");
			}
			Instant now = Instant.now();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
					new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
					Date.from(now.plus(validity)), new X500Name("CN=" + name), request.getPublicKey());
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
				.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }))
				.addExtension(Extension.subjectAlternativeName, false, alternativeNames(name, hosts))
				.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate))
				.addExtension(Extension.subjectKeyIdentifier, false,
						extensions.createSubjectKeyIdentifier(request.getPublicKey()));
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
		}
		catch (GeneralSecurityException | OperatorCreationException | PKCSException | IOException ex) {
			throw new IllegalArgumentException("certificate request: " + ex.getMessage(), ex);
		}
	}

	private static GeneralNames alternativeNames(String name, java.util.List<String> hosts) {
		java.util.List<GeneralName> names = new java.util.ArrayList<>();
		names.add(new GeneralName(GeneralName.dNSName, name));
		for (String host : hosts) {
			boolean address = host.matches("[0-9.]+") || host.contains(":");
			names.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, host));
		}
		return new GeneralNames(names.toArray(GeneralName[]::new));
	}

	private static void create(Path dir, Path keyFile, Path certificateFile)
			throws IOException, GeneralSecurityException, OperatorCreationException {
		KeyPair pair = FleetCrypto.newKeyPair();
		Instant now = Instant.now();
		X500Name subject = new X500Name("CN=Cairn fleet authority " + HexFormat.of().formatHex(new SecureRandom()
			.generateSeed(4)));
		JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, new SecureRandom()),
				Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
			.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
			.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
			.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
		X509Certificate certificate = new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate())));
		Files.createDirectories(dir);
		Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
		// written under temporary names and moved: a start killed halfway leaves no authority without its key
		Path keyTmp = Files.createTempFile(dir, "ca", ".key.tmp", PosixFilePermissions.asFileAttribute(
				PosixFilePermissions.fromString("rw-------")));
		Files.writeString(keyTmp, FleetCrypto.pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
		Path certificateTmp = Files.createTempFile(dir, "ca", ".crt.tmp");
		Files.writeString(certificateTmp, FleetCrypto.pem(certificate));
		Files.move(certificateTmp, certificateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		Files.move(keyTmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
	}

	private static PrivateKey readKey(Path file) throws IOException {
		try (Reader in = Files.newBufferedReader(file); PEMParser parser = new PEMParser(in)) {
			Object read = parser.readObject();
			return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) read);
		}
	}

	static X509Certificate readCertificate(Path file) throws IOException, CertificateException {
		try (Reader in = Files.newBufferedReader(file); PEMParser parser = new PEMParser(in)) {
			return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
		}
	}
}
