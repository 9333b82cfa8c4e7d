// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;

/**
 * A node-local repository served over restic's REST protocol on the node's loopback ({@code rclone serve
 * restic}, append-only, with a one-time user and password) for the length of one backup or restore. The
 * restic that reads or writes a VE's files runs in a view holding the VE's files only: it reaches the
 * repository through this relay and never through the file system. A VE cannot reach the node's loopback.
 * The relay dies with the engine's process.
 */
final class RestRelay implements AutoCloseable {

	private static final Pattern SERVING = Pattern.compile("Serving restic REST API on http://(127\\.0\\.0\\.1:\\d+)/");

	private final Process process;

	private final String url;

	private final Path htpasswd;

	private RestRelay(Process process, String url, Path htpasswd) {
		this.process = process;
		this.url = url;
		this.htpasswd = htpasswd;
	}

	static RestRelay serve(String repository) {
		byte[] secret = new byte[16];
		new SecureRandom().nextBytes(secret);
		String user = "cairn";
		String password = HexFormat.of().formatHex(secret);
		// the password in a file only root can read, never on rclone's command line
		Path htpasswd = writeHtpasswd(user, password);
		List<String> command = List.of("setpriv", "--pdeathsig", "KILL", "rclone", "serve", "restic", "--addr",
				"127.0.0.1:0", "--htpasswd", htpasswd.toString(), "--append-only", "--config", "/dev/null", repository);
		Process process;
		try {
			process = HelperProcess.command(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			deleteQuietly(htpasswd);
			throw new EngineException("backup: cannot run rclone (install rclone): " + ex.getMessage(), ex);
		}
		CompletableFuture<String> address = new CompletableFuture<>();
		Thread.ofVirtual().start(() -> {
			try {
				address.complete(readAddress(process));
			}
			catch (RuntimeException ex) {
				address.completeExceptionally(ex);
			}
		});
		try {
			String hostAndPort = address.get(30, TimeUnit.SECONDS);
			return new RestRelay(process, "rest:http://" + user + ":" + password + "@" + hostAndPort + "/", htpasswd);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			deleteQuietly(htpasswd);
			Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
			throw cause instanceof EngineException engine ? engine
					: new EngineException("backup: the repository relay did not start: " + cause, cause);
		}
	}

	/** "host:port" from rclone's log, which is drained afterwards (never closed) so that rclone never blocks on it. */
	/** An htpasswd file (SHA-1, which rclone reads) of mode 0600 for the one-time user. */
	private static Path writeHtpasswd(String user, String password) {
		try {
			Path file = Files.createTempFile("cairn-relay-", ".htpasswd",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
			Files.writeString(file, user + ":{SHA}" + Base64.getEncoder().encodeToString(digest) + "\n");
			return file;
		}
		catch (IOException | NoSuchAlgorithmException ex) {
			throw new EngineException("backup: cannot write the relay's password file: " + ex.getMessage(), ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// a temporary file of root's, mode 0600, holding a password already useless
		}
	}

	private static String readAddress(Process process) {
		BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder seen = new StringBuilder();
		try {
			for (String line = log.readLine(); line != null; line = log.readLine()) {
				Matcher serving = SERVING.matcher(line);
				if (serving.find()) {
					Thread.ofVirtual().start(() -> log.lines().forEach(ignored -> {
					}));
					return serving.group(1);
				}
				seen.append(line).append('\n');
			}
		}
		catch (IOException ex) {
			throw new EngineException("backup: the repository relay failed: " + ex.getMessage(), ex);
		}
		throw new EngineException("backup: the repository relay ended: " + seen.toString().strip());
	}

	/** The repository for restic, with its credentials: for the environment, never for a command line. */
	String repository() {
		return url;
	}

	@Override
	public void close() {
		process.destroyForcibly();
		deleteQuietly(htpasswd);
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
