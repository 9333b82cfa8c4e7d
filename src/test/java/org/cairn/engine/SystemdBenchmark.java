// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cairn.engine.network.VeNetwork;

/** The systemd figures of {@link EngineBenchmark}: boot to sshd, idle memory, many at once. */
final class SystemdBenchmark {

	private static final long MB = 1L << 20;

	/**
	 * Connects to port 22 every 5 ms until sshd sends its banner; prints the wall clock then, in ns. A SYN sent
	 * before the VE's link is up is lost and TCP would resend it only after 1 s: each attempt waits 50 ms at most.
	 */
	private static final String PROBE = """
			import socket, sys, time
			deadline = time.time() + 60
			while time.time() < deadline:
			    try:
			        s = socket.create_connection((sys.argv[1], 22), timeout=0.05)
			        s.settimeout(2)
			        if s.recv(8).startswith(b'SSH-'):
			            print(time.time_ns()); sys.exit(0)
			        s.close()
			    except OSError:
			        pass
			    time.sleep(0.005)
			sys.exit(1)
			""";

	private SystemdBenchmark() {
	}

	static void boots(TestEngine test, TestNode node, int n) throws Exception {
		VeEngine engine = test.engine;
		long b0 = System.nanoTime();
		test.installTemplate("debian-12");
		System.out.printf("debian-12 template built by debootstrap: %.0f s%n", (System.nanoTime() - b0) / 1e9);
		double[] first = new double[10];
		for (int i = 0; i < first.length; i++) {
			String name = "first" + i;
			String address = "198.51.100." + (10 + i);
			engine.create(new VeSpec(name, "debian-12", null, null, null, ResourceLimits.NONE.withMemory(256 * MB),
					network(address)));
			first[i] = bootToSsh(engine, node, name, address);
			engine.destroy(name);
		}
		EngineBenchmark.report("first boot of a new debian-12 VE (machine id, SSH host keys made), start() to sshd's banner",
				first);
		engine.create(new VeSpec("boot", "debian-12", null, null, null, ResourceLimits.NONE.withMemory(256 * MB),
				network("198.51.100.9")));
		bootToSsh(engine, node, "boot", "198.51.100.9");
		engine.stop("boot", Duration.ofSeconds(30));
		double[] later = new double[n];
		for (int i = 0; i < n; i++) {
			Thread.sleep(300);
			later[i] = bootToSsh(engine, node, "boot", "198.51.100.9");
			engine.stop("boot", Duration.ofSeconds(30));
		}
		EngineBenchmark.report("later boots of that VE, start() to sshd's banner", later);

		engine.start("boot");
		SystemdTemplateTests.bootState(test, "boot");
		Thread.sleep(60_000);
		System.out.println("idle debian-12 VE after 60 s (systemd, journald, dbus, logind, cron, sshd, a getty on the"
				+ " console): " + memory(test, "boot"));
		System.out.println(test.sh("boot", "ps -eo rss=,comm= --sort=-rss").output().strip().indent(4));
		engine.stop("boot", Duration.ofSeconds(30));
	}

	static void density(TestEngine test, TestNode node, int n) throws Exception {
		VeEngine engine = test.engine;
		test.installTemplate("debian-12");
		Path keys = Files.createTempDirectory("cairn-bench-ssh-");
		try {
			TestEngine.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id").toString());
			String key = Files.readString(keys.resolve("id.pub"));
			long before = EngineBenchmark.usedMemoryKb();
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<?>> work = new ArrayList<>();
			long t0 = System.nanoTime();
			for (int i = 0; i < n; i++) {
				String name = "s" + i;
				String address = address(i);
				work.add(pool.submit(() -> {
					engine.create(new VeSpec(name, "debian-12", null, null, key, ResourceLimits.NONE.withMemory(256 * MB),
							network(address)));
					engine.start(name);
				}));
			}
			try {
				for (Future<?> f : work) {
					f.get();
				}
			}
			finally {
				pool.shutdownNow();
				pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
			}
			System.out.printf("started %d debian-12 VEs in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
			for (int i = 0; i < n; i++) {
				SystemdTemplateTests.bootState(test, "s" + i);
			}
			System.out.printf("all booted (systemctl is-system-running --wait) after %.1f s%n", (System.nanoTime() - t0) / 1e9);
			Thread.sleep(60_000);
			long after = EngineBenchmark.usedMemoryKb();
			System.out.printf("host memory in use: %d MB before, %d MB after 60 s idle: %.1f MB per VE%n", before / 1024,
					after / 1024, (after - before) / 1024.0 / n);
			double[] charged = new double[n];
			for (int i = 0; i < n; i++) {
				charged[i] = engine.usage("s" + i).memoryBytes() / (double) MB;
			}
			Arrays.sort(charged);
			System.out.printf("memory charged to each VE's cgroup: median %.1f MB, min %.1f, max %.1f%n", charged[n / 2],
					charged[0], charged[n - 1]);
			System.out.println("one of them: " + memory(test, "s" + (n / 2)));
			int answered = 0;
			double[] logins = new double[n];
			for (int i = 0; i < n; i++) {
				long l0 = System.nanoTime();
				TestEngine.Result login = node.attempt("ssh", "-i", keys.resolve("id").toString(), "-o", "BatchMode=yes",
						"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
						"-o", "ConnectTimeout=10", "root@" + address(i), "systemctl is-system-running");
				logins[i] = (System.nanoTime() - l0) / 1e6;
				if (login.exitCode() == 0 && login.output().strip().equals("running")) {
					answered++;
				}
				else {
					System.out.println("s" + i + ": " + login.output().strip());
				}
			}
			System.out.printf("%d of %d VEs answered an ssh login with 'running'%n", answered, n);
			EngineBenchmark.report("ssh login + systemctl is-system-running, from the node", logins);
			long d0 = System.nanoTime();
			for (int i = 0; i < n; i++) {
				engine.destroy("s" + i);
			}
			System.out.printf("stopped (systemd's halt) and destroyed %d VEs in %.1f s%n", n, (System.nanoTime() - d0) / 1e9);
		}
		finally {
			Trees.delete(keys);
		}
	}

	private static String address(int i) {
		return "198.51." + (100 + i / 200) + "." + (10 + i % 200);
	}

	private static VeNetwork network(String address) {
		return new VeNetwork(List.of(VeNetwork.parseAddress("ip", address)), List.of(), 0);
	}

	/** ms from start() to sshd's banner, read by a client in the node's namespace. */
	private static double bootToSsh(VeEngine engine, TestNode node, String name, String address) throws Exception {
		Process probe = new ProcessBuilder("nsenter", "--net=" + node.namespace(), "python3", "-c", PROBE, address)
			.redirectErrorStream(true)
			.start();
		Thread.sleep(100);
		long wall0 = epochNanos();
		engine.start(name);
		String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (probe.waitFor() != 0) {
			throw new IllegalStateException(name + ": sshd did not answer within 60 s: " + out);
		}
		return (Long.parseLong(out) - wall0) / 1e6;
	}

	private static long epochNanos() {
		java.time.Instant now = java.time.Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	/** The cgroup's figures: all it is charged (page cache included), and its anonymous memory. */
	private static String memory(TestEngine test, String name) throws Exception {
		Path stat = Path.of("/sys/fs/cgroup/memory", test.settings.cgroupParent(), name, "memory.stat");
		long usage = test.engine.usage(name).memoryBytes();
		if (!Files.exists(stat)) {
			return String.format("%.1f MB charged", usage / (double) MB);
		}
		long rss = 0;
		long cache = 0;
		for (String line : Files.readAllLines(stat)) {
			String[] parts = line.split(" ");
			if (parts[0].equals("total_rss")) {
				rss = Long.parseLong(parts[1]);
			}
			if (parts[0].equals("total_cache")) {
				cache = Long.parseLong(parts[1]);
			}
		}
		return String.format("%.1f MB charged: %.1f MB anonymous (the processes' own), %.1f MB page cache (files it read"
				+ " or wrote first)", usage / (double) MB, rss / (double) MB, cache / (double) MB);
	}
}
