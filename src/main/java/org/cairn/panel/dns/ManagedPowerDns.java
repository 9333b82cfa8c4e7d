// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PowerDNS Authoritative server that Cairn runs itself when no other is configured, as it does PostgreSQL:
 * Debian's {@code pdns_server} with the SQLite backend, its data in {@code DATA/pdns}, its HTTP API on a free
 * loopback port with a key made at each start, answering DNS queries where {@code cairn.dns.listen} says. It never
 * asks anything of the internet (no security poll). It ends with the panel; one a killed panel left is ended first.
 */
final class ManagedPowerDns implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ManagedPowerDns.class);

	static final Path SERVER = Path.of("/usr/sbin/pdns_server");

	private static final Path SCHEMA = Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql");

	private final Process process;

	private final String apiUrl;

	private final String apiKey;

	private final InetAddress listenAddress;

	private final int listenPort;

	private ManagedPowerDns(Process process, String apiUrl, String apiKey, InetAddress listenAddress, int listenPort) {
		this.process = process;
		this.apiUrl = apiUrl;
		this.apiKey = apiKey;
		this.listenAddress = listenAddress;
		this.listenPort = listenPort;
	}

	/** Whether this node can run one: Debian's pdns-server, pdns-backend-sqlite3 and sqlite3. */
	static Optional<String> missing() {
		if (!Files.isExecutable(SERVER) || !Files.exists(SCHEMA)) {
			return Optional.of("install Debian's pdns-server and pdns-backend-sqlite3");
		}
		if (!Files.isExecutable(Path.of("/usr/bin/sqlite3"))) {
			return Optional.of("install Debian's sqlite3");
		}
		return Optional.empty();
	}

	/**
	 * Starts the server over {@code dataDir/pdns}, made at first use.
	 * @param listen where DNS queries are answered, {@code ADDRESS:PORT}; port 0 takes a free one
	 * @param osUser the unprivileged user it runs as once it has bound its ports, when started as root
	 */
	static ManagedPowerDns start(Path dataDir, String listen, String osUser) {
		Path dir = dataDir.resolve("pdns");
		try {
			Files.createDirectories(dir);
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
			Path database = dir.resolve("pdns.sqlite3");
			if (!Files.exists(database)) {
				Path partial = dir.resolve("pdns.sqlite3.new");
				Files.deleteIfExists(partial);
				run(List.of("sqlite3", partial.toString()), SCHEMA);
				Files.move(partial, database);
			}
			endLeftover(dir);
			boolean root = "root".equals(System.getProperty("user.name"));
			if (root) {
				chownTree(dir, osUser);
			}
			String[] hostPort = splitListen(listen);
			InetAddress address = InetAddress.ofLiteral(hostPort[0]);
			int port = Integer.parseInt(hostPort[1]);
			if (port == 0) {
				port = freePort(address);
			}
			int apiPort = freePort(InetAddress.getLoopbackAddress());
			byte[] secret = new byte[24];
			new SecureRandom().nextBytes(secret);
			String key = HexFormat.of().formatHex(secret);
			// the key in a file only the server's user reads, never on a command line
			Path config = dir.resolve("pdns.conf");
			Files.writeString(config, "api-key=" + key + "\n");
			Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
			if (root) {
				chownTree(dir, osUser);
			}
			List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--config-dir=" + dir, "--socket-dir=" + dir,
					"--daemon=no", "--guardian=no", "--disable-syslog", "--write-pid=yes", "--launch=gsqlite3",
					"--gsqlite3-database=" + database, "--local-address=" + hostPort[0], "--local-port=" + port,
					"--api=yes", "--webserver=yes", "--webserver-address=127.0.0.1", "--webserver-port=" + apiPort,
					"--webserver-allow-from=127.0.0.1", "--security-poll-suffix=", "--version-string=anonymous"));
			if (root) {
				command.add("--setuid=" + osUser);
				command.add("--setgid=" + osUser);
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve("pdns.log").toFile())
				.start();
			ManagedPowerDns server = new ManagedPowerDns(process, "http://127.0.0.1:" + apiPort, key, address, port);
			server.awaitApi();
			log.info("PowerDNS answers on {}:{}; its API on 127.0.0.1:{}", hostPort[0], port, apiPort);
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run PowerDNS in " + dir + ": " + ex.getMessage(), ex);
		}
	}

	String apiUrl() {
		return apiUrl;
	}

	String apiKey() {
		return apiKey;
	}

	InetAddress listenAddress() {
		return listenAddress;
	}

	int listenPort() {
		return listenPort;
	}

	boolean isAlive() {
		return process.isAlive();
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	private void awaitApi() {
		PowerDns client = new PowerDns(apiUrl, apiKey, "localhost");
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("PowerDNS ended at its start (exit " + process.exitValue()
						+ "); see its log in the data folder's pdns/pdns.log");
			}
			if (client.reachable()) {
				return;
			}
			sleep(50);
		}
		close();
		throw new IllegalStateException("PowerDNS's API did not answer within 20 s");
	}

	/** A server a killed panel left on this folder (its pid file) is ended: the new one takes its place. */
	private static void endLeftover(Path dir) throws IOException {
		Path pidFile = dir.resolve("pdns.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readString(pidFile).strip());
			ProcessHandle.of(pid)
				.filter(p -> p.info().command().map(c -> c.endsWith("pdns_server")).orElse(false))
				.ifPresent(p -> {
					p.destroy();
					p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
				});
		}
		catch (NumberFormatException ex) {
			// not ours to read
		}
		Files.deleteIfExists(pidFile);
	}

	private static String[] splitListen(String listen) {
		int colon = listen.lastIndexOf(':');
		if (colon <= 0) {
			throw new IllegalStateException("cairn.dns.listen is ADDRESS:PORT (127.0.0.1:5300, 0.0.0.0:53), not " + listen);
		}
		return new String[] { listen.substring(0, colon).replace("[", "").replace("]", ""), listen.substring(colon + 1) };
	}

	private static int freePort(InetAddress address) throws IOException {
		// free for TCP and UDP alike, as a DNS server needs both
		for (int i = 0; i < 20; i++) {
			try (ServerSocket tcp = new ServerSocket(0, 1, address)) {
				int port = tcp.getLocalPort();
				try (DatagramSocket udp = new DatagramSocket(port, address)) {
					return port;
				}
				catch (IOException ex) {
					// taken for UDP: another
				}
			}
		}
		throw new IOException("no free port on " + address.getHostAddress());
	}

	private static void chownTree(Path dir, String user) throws IOException {
		run(List.of("chown", "-R", user + ":" + user, dir.toString()), null);
	}

	private static void run(List<String> command, Path input) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (input != null) {
			builder.redirectInput(input.toFile());
		}
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes());
		try {
			if (process.waitFor() != 0) {
				throw new IOException(String.join(" ", command) + " failed: " + out.strip());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
