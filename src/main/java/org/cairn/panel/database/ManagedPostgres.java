// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster that Cairn creates, starts and stops itself from the system's server binaries,
 * for installs that configure no database. It listens on 127.0.0.1 only (and on a unix socket inside
 * its own directory), runs as a non-root OS user and keeps its data across restarts.
 */
public final class ManagedPostgres implements AutoCloseable {

	/** Name of the superuser and of the database Cairn uses. */
	public static final String DATABASE = "cairn";

	private final Path clusterDir;
	private final Path binDir;
	private final String osUser;
	private final int port;
	private final String password;
	private volatile boolean running;

	private ManagedPostgres(Path clusterDir, Path binDir, String osUser, int port, String password) {
		this.clusterDir = clusterDir;
		this.binDir = binDir;
		this.osUser = osUser;
		this.port = port;
		this.password = password;
	}

	/**
	 * Initialises the cluster under {@code baseDir/postgres} if it is new, starts it (or adopts one a
	 * crashed Cairn left running) and makes sure the {@value #DATABASE} database exists.
	 * @param baseDir Cairn's data directory
	 * @param osUser the non-root OS user that owns and runs the cluster when Cairn runs as root
	 * @param port TCP port on 127.0.0.1, or 0 for a free one
	 */
	public static ManagedPostgres start(Path baseDir, String osUser, int port) {
		Path binDir = findServerBinaries().orElseThrow(() -> new DatabaseUnavailableException(
				"PostgreSQL server binaries not found under /usr/lib/postgresql. Install Debian's postgresql package "
						+ "(apt-get install postgresql) or set spring.datasource.url to an existing server."));
		try {
			Files.createDirectories(baseDir);
			Path clusterDir = baseDir.resolve("postgres");
			Path passwordFile = baseDir.resolve("postgres.password");
			String password = readOrCreatePassword(passwordFile);
			String user = Processes.isRoot() ? osUser : null;
			if (!Files.exists(clusterDir.resolve("PG_VERSION"))) {
				initdb(binDir, clusterDir, user, password);
			}
			Optional<Integer> adopted = runningPort(clusterDir);
			int actualPort = adopted.orElseGet(() -> port == 0 ? freePort() : port);
			ManagedPostgres postgres = new ManagedPostgres(clusterDir, binDir, user, actualPort, password);
			if (adopted.isEmpty()) {
				postgres.startServer();
			}
			postgres.running = true;
			postgres.createDatabaseIfMissing();
			return postgres;
		}
		catch (IOException ex) {
			String reason = ex instanceof java.nio.file.NoSuchFileException || ex instanceof java.nio.file.AccessDeniedException
					|| ex instanceof java.nio.file.FileSystemException
							? "cannot make " + ex.getMessage()
									+ (ex instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? " (" + fs.getReason() + ")" : "")
							: ex.getMessage();
			throw new DatabaseUnavailableException("cairn.data-dir (" + baseDir + "): " + reason
					+ "; point cairn.data-dir (CAIRN_DATA_DIR) at a folder Cairn can make and write");
		}
	}

	/** The newest PostgreSQL server found under /usr/lib/postgresql/VERSION/bin. */
	public static Optional<Path> findServerBinaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map(v -> v.resolve("bin"))
				.filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
				.max(Comparator.comparingInt(ManagedPostgres::majorVersion));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static int majorVersion(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
	}

	public String username() {
		return DATABASE;
	}

	public String password() {
		return password;
	}

	public int port() {
		return port;
	}

	public Path clusterDir() {
		return clusterDir;
	}

	public boolean isRunning() {
		return running;
	}

	/** Whether the cluster's server is alive now (its postmaster, named in postmaster.pid). */
	public boolean serverAlive() {
		try {
			return runningPort(clusterDir).isPresent();
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Starts the server again after it ended unasked (killed, crashed, out of memory). */
	public synchronized void revive() {
		if (running && !serverAlive()) {
			startServer();
		}
	}

	/** Stops the server; the data stays. */
	public synchronized void stop() {
		if (!running) {
			return;
		}
		run(List.of(pgCtl(), "-D", clusterDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"), "stop PostgreSQL");
		running = false;
	}

	/** Starts the server again on the same port after {@link #stop()}. */
	public synchronized void restart() {
		if (!running) {
			startServer();
			running = true;
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void startServer() {
		String options = "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + clusterDir;
		run(List.of(pgCtl(), "-D", clusterDir.toString(), "-l", clusterDir.resolve("postgresql.log").toString(), "-w",
				"-t", "60", "-o", options, "start"), "start PostgreSQL");
	}

	private void createDatabaseIfMissing() {
		String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
		SQLException last = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			try (var connection = DriverManager.getConnection(url, DATABASE, password);
					var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
				exists.setString(1, DATABASE);
				if (!exists.executeQuery().next()) {
					try (var create = connection.createStatement()) {
						create.execute("create database " + DATABASE);
					}
				}
				return;
			}
			catch (SQLException ex) {
				last = ex;
				sleep(200);
			}
		}
		throw new DatabaseUnavailableException("The managed PostgreSQL in " + clusterDir + " does not accept connections: "
				+ (last == null ? "" : last.getMessage()));
	}

	private static void initdb(Path binDir, Path clusterDir, String user, String password) throws IOException {
		Files.createDirectories(clusterDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path pwfile = Files.createTempFile(clusterDir.getParent(), "pw", ".tmp");
		try {
			Files.writeString(pwfile, password + "\n");
			if (user != null) {
				chown(clusterDir, user);
				chown(pwfile, user);
				// the OS user must be able to reach its cluster through Cairn's data directory
				Files.setPosixFilePermissions(clusterDir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
			}
			runAs(user, List.of(binDir.resolve("initdb").toString(), "-D", clusterDir.toString(), "-U", DATABASE,
					"--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8",
					"--locale=C"), "initialise the PostgreSQL cluster");
		}
		finally {
			Files.deleteIfExists(pwfile);
		}
	}

	private static void chown(Path path, String user) throws IOException {
		UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
		Files.setOwner(path, lookup.lookupPrincipalByName(user));
	}

	private static String readOrCreatePassword(Path file) throws IOException {
		if (Files.exists(file)) {
			return Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		String password = HexFormat.of().formatHex(bytes);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, password);
		return password;
	}

	/** The port of a server still running on this cluster (a Cairn killed with -9 leaves it running). */
	private static Optional<Integer> runningPort(Path clusterDir) throws IOException {
		Path pidFile = clusterDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return Optional.empty();
		}
		List<String> lines = Files.readAllLines(pidFile);
		if (lines.size() < 4) {
			return Optional.empty();
		}
		long pid = Long.parseLong(lines.get(0).strip());
		boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		return alive ? Optional.of(Integer.parseInt(lines.get(3).strip())) : Optional.empty();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String pgCtl() {
		return binDir.resolve("pg_ctl").toString();
	}

	private void run(List<String> command, String what) {
		runAs(osUser, command, what);
	}

	private static void runAs(String user, List<String> command, String what) {
		List<String> full = new ArrayList<>();
		if (user != null) {
			full.addAll(List.of("runuser", "-u", user, "--"));
		}
		full.addAll(command);
		try {
			Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new DatabaseUnavailableException("Could not " + what + ": " + output.strip());
			}
		}
		catch (IOException ex) {
			throw new DatabaseUnavailableException("Could not " + what + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DatabaseUnavailableException("Interrupted while trying to " + what);
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
