// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figures for docs/benchmarks.md, run by bench/engine.sh (not a unit test):
 * <ul>
 * <li>{@code start N [auto|v1|v2]}: engine.start() of a stopped busybox VE, from the call to its init
 * running, N times;</li>
 * <li>{@code density N}: N busybox VEs running at once, each answering exec; host memory per VE;</li>
 * <li>{@code disk N}: a VE with a 1 GB disk: create, N online quota changes, the image's real size;</li>
 * <li>{@code network N}: start of a VE with an IPv4 and an IPv6 address (node side in a namespace of its own),
 * N times; N live address changes;</li>
 * <li>{@code backup N}: a running VE holding 1 GB of files: its first backup, N backups of it unchanged, the
 * restore of one file; then twenty busybox VEs and twenty debian-12 VEs, each with a file of its own, backed up
 * into one repository: what each adds;</li>
 * <li>{@code snapshot N}: a busybox VE with a 4 GB disk and 1 GB of new files: its first snapshot (time, VE
 * frozen), N snapshots after 10 MB changed, a rollback to the first;</li>
 * <li>{@code systemd N}: debian-12 VEs (systemd), from engine.start() to sshd sending its banner to a client on
 * the node: ten first boots, N later boots; the idle memory of one such VE;</li>
 * <li>{@code systemd-density N}: N debian-12 VEs running at once, each answering an ssh login; memory per VE.</li>
 * </ul>
 */
public final class EngineBenchmark {

	public static void main(String[] args) throws Exception {
		String mode = args.length > 0 ? args[0] : "start";
		int n = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		String cgroup = args.length > 2 ? args[2] : "auto";
		if (mode.equals("network") || mode.startsWith("systemd")) {
			try (TestNode node = TestNode.create(); TestEngine test = TestEngine.create(cgroup, node.network())) {
				switch (mode) {
					case "network" -> network(test, n);
					case "systemd" -> SystemdBenchmark.boots(test, node, n);
					default -> SystemdBenchmark.density(test, node, n);
				}
			}
			System.exit(0);
		}
		try (TestEngine test = TestEngine.create(cgroup)) {
			System.out.println("cgroup driver: " + test.engine.cgroupVersion());
			switch (mode) {
				case "start" -> start(test, n);
				case "density" -> density(test, n);
				case "disk" -> disk(test, n);
				case "backup" -> backup(test, n);
				case "snapshot" -> snapshot(test, n);
				default -> throw new IllegalArgumentException("start N | density N | disk N | network N | backup N");
			}
		}
		System.exit(0);
	}

	private static void start(TestEngine test, int n) throws InterruptedException {
		test.engine.create(new VeSpec("bench", "busybox", null));
		report("engine.start() of a busybox VE, call to init running", timedStarts(test.engine, "bench", n));
	}

	/** n starts of a stopped VE, each after the same pause as crun gets in bench/engine.sh. */
	private static double[] timedStarts(VeEngine engine, String name, int n) throws InterruptedException {
		engine.start(name);
		engine.stop(name, Duration.ofSeconds(10));
		double[] millis = new double[n];
		for (int i = 0; i < n; i++) {
			// no start rides on the previous one's kernel work
			Thread.sleep(300);
			long t0 = System.nanoTime();
			engine.start(name);
			millis[i] = (System.nanoTime() - t0) / 1e6;
			engine.stop(name, Duration.ofSeconds(10));
		}
		return millis;
	}

	private static void network(TestEngine test, int n) throws InterruptedException {
		VeEngine engine = test.engine;
		var network = new org.cairn.engine.network.VeNetwork(List.of(
				org.cairn.engine.network.VeNetwork.parseAddress("ip", "198.51.100.10"),
				org.cairn.engine.network.VeNetwork.parseAddress("ip", "2001:db8::10")), List.of(), 0);
		engine.create(new VeSpec("bench", "busybox", null, null, null, ResourceLimits.NONE, network));
		double[] millis = timedStarts(engine, "bench", n);
		report("engine.start() of a busybox VE with an IPv4 and an IPv6 address, call to init running", millis);
		engine.start("bench");
		var extra = org.cairn.engine.network.VeNetwork.parseAddress("ip", "198.51.100.20");
		double[] changes = new double[n];
		for (int i = 0; i < n; i++) {
			long t0 = System.nanoTime();
			engine.setNetwork("bench", i % 2 == 0 ? network.withAddress(extra) : network);
			changes[i] = (System.nanoTime() - t0) / 1e6;
		}
		report("setNetwork() on the running VE, one address added or removed", changes);
		// a firewall change is in force when the call returns (nft -f has committed its transaction)
		for (int size : new int[] { 1, 20, org.cairn.engine.firewall.Firewall.MAX_RULES }) {
			double[] firewall = new double[n];
			for (int i = 0; i < n; i++) {
				List<org.cairn.engine.firewall.FirewallRule> rules = new java.util.ArrayList<>();
				for (int r = 0; r < size; r++) {
					rules.add(org.cairn.engine.firewall.FirewallRule.parse("allow tcp " + (1000 + r + i % 2)));
				}
				long t0 = System.nanoTime();
				engine.setFirewall("bench", new org.cairn.engine.firewall.Firewall(
						org.cairn.engine.firewall.FirewallRule.Action.DROP, true, true, rules));
				firewall[i] = (System.nanoTime() - t0) / 1e6;
			}
			report("setFirewall() on the running VE, whole chain of " + size + " rule(s) replaced", firewall);
		}
		engine.stop("bench", Duration.ofSeconds(10));
	}

	private static void backup(TestEngine test, int n) {
		VeEngine engine = test.engine;
		VeBackups backups = engine.backups();
		engine.create(new VeSpec("big", "busybox", null));
		engine.start("big");
		// 1 GB: 1000 files of 1 MB in 10 folders, random (nothing to compress or deduplicate)
		test.sh("big", "for d in 0 1 2 3 4 5 6 7 8 9; do mkdir -p /srv/$d; for f in $(seq 0 99); do"
				+ " head -c 1048576 /dev/urandom > /srv/$d/$f; done; done");
		long t0 = System.nanoTime();
		org.cairn.engine.backup.Snapshot first = backups.create("big", null);
		System.out.printf("first backup of a VE with 1 GB of files: %.1f s, repository %d MB%n",
				(System.nanoTime() - t0) / 1e9, backups.storedBytes() >> 20);
		double[] incremental = new double[n];
		for (int i = 0; i < n; i++) {
			long t1 = System.nanoTime();
			backups.create("big", null);
			incremental[i] = (System.nanoTime() - t1) / 1e6;
		}
		report("incremental backup of the unchanged 1 GB VE, ms", incremental);
		double[] restore = new double[n];
		for (int i = 0; i < n; i++) {
			test.sh("big", "rm /srv/5/50");
			long t1 = System.nanoTime();
			backups.restore("big", first.id(), "/srv/5/50", null);
			restore[i] = (System.nanoTime() - t1) / 1e6;
		}
		report("restore of one 1 MB file of it, in place, ms", restore);
		double[] frozen = new double[n];
		double[] consistent = new double[n];
		for (int i = 0; i < n; i++) {
			test.sh("big", "for f in 1 2 3 4 5 6 7 8 9 10; do head -c 1048576 /dev/urandom > /srv/" + i + "/$f; done");
			long t1 = System.nanoTime();
			frozen[i] = backups.createConsistent("big", null).frozenFor().toNanos() / 1e6;
			consistent[i] = (System.nanoTime() - t1) / 1e6;
		}
		report("point-in-time backup of the 1 GB VE after 10 MB changed: whole backup, ms", consistent);
		report("  of which the VE was frozen, ms", frozen);
		engine.destroy("big");

		for (String template : List.of("busybox", "debian-12")) {
			if (template.equals("debian-12")) {
				engine.buildTemplate("debian-12");
			}
			long before = backups.storedBytes();
			long oneVe = 0;
			for (int i = 0; i < 20; i++) {
				String name = template.substring(0, 3) + i;
				engine.create(new VeSpec(name, template, null));
				engine.start(name);
				test.sh(name, "echo 'server_name site" + i + ".example;' > /root/site.conf");
				backups.create(name, null);
				if (i == 0) {
					oneVe = backups.storedBytes() - before;
				}
				engine.destroy(name);
			}
			long twenty = backups.storedBytes() - before;
			System.out.printf("%s: one VE's backup adds %d KB; twenty VEs add %d KB (%.2f x one)%n", template,
					oneVe >> 10, twenty >> 10, twenty / (double) oneVe);
		}
	}

	private static void snapshot(TestEngine test, int n) {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("snap", "busybox", null, null, null, ResourceLimits.NONE.withDisk(4L << 30, 0)));
		engine.start("snap");
		test.sh("snap", "for d in 0 1 2 3 4 5 6 7 8 9; do mkdir -p /srv/$d; for f in $(seq 0 99); do"
				+ " head -c 1048576 /dev/urandom > /srv/$d/$f; done; done; sync");
		long t0 = System.nanoTime();
		VeSnapshots.Snapshot first = engine.snapshots().create("snap", "first");
		System.out.printf("first snapshot of a running VE with 1 GB of new files: %.1f s, VE frozen %d ms, it holds %d MB%n",
				(System.nanoTime() - t0) / 1e9, first.frozen().toMillis(), first.bytes() >> 20);
		double[] taken = new double[n];
		double[] frozen = new double[n];
		for (int i = 0; i < n; i++) {
			test.sh("snap", "for f in 1 2 3 4 5 6 7 8 9 10; do head -c 1048576 /dev/urandom > /srv/" + (i % 10) + "/$f; done");
			long t1 = System.nanoTime();
			VeSnapshots.Snapshot next = engine.snapshots().create("snap", "s" + i);
			taken[i] = (System.nanoTime() - t1) / 1e6;
			frozen[i] = next.frozen().toMillis();
		}
		report("snapshot after 10 MB changed (files unchanged since the previous one shared), whole, ms", taken);
		report("  of which the VE was frozen, ms", frozen);
		// each rollback timed from a synced node: what earlier steps wrote is not charged to it
		test.sh("snap", "head -c 1048576 /dev/urandom > /srv/0/0; sync");
		timedRollback(engine, "s" + (n - 1), "rollback of the running VE to the latest, 1 MB differing (kill, copy back, start)");
		test.sh("snap", "sync");
		timedRollback(engine, "first", "rollback of the running VE to the first, " + Math.min(n, 10) * 10 + " MB differing");
		test.sh("snap", "rm -r /srv/*; sync");
		timedRollback(engine, "first", "rollback after the 1 GB was deleted (all of it copied back)");
		engine.stop("snap", Duration.ofSeconds(10));
	}

	private static void timedRollback(VeEngine engine, String snapshot, String what) {
		long t0 = System.nanoTime();
		engine.snapshots().rollback("snap", snapshot);
		System.out.printf("%s: %.2f s%n", what, (System.nanoTime() - t0) / 1e9);
	}

	private static void disk(TestEngine test, int n) throws Exception {
		VeEngine engine = test.engine;
		long gb = 1L << 30;
		long t0 = System.nanoTime();
		engine.create(new VeSpec("disk", "busybox", null, null, null, ResourceLimits.NONE.withDisk(gb, 0)));
		System.out.printf("create with a 1 GB disk: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
		engine.start("disk");
		double[] millis = new double[n];
		boolean online = Capabilities.effective(Capabilities.SYS_RESOURCE);
		for (int i = 0; i < n; i++) {
			// grows online (with CAP_SYS_RESOURCE); shrinks, and grows without it, with the VE stopped
			long quota = i % 2 == 0 ? gb * 3 / 2 : gb;
			boolean stop = !online || quota < engine.limits("disk").diskBytes();
			long t1 = System.nanoTime();
			if (stop) {
				engine.stop("disk", Duration.ofSeconds(10));
			}
			engine.set("disk", engine.limits("disk").withDisk(quota, 0));
			if (stop) {
				engine.start("disk");
			}
			millis[i] = (System.nanoTime() - t1) / 1e6;
		}
		report("set --disk 1 GB <-> 1.5 GB (" + (online ? "grows online; shrinks stopped, stop and start included"
				: "no CAP_SYS_RESOURCE here: stop, resize, start") + ")", millis);
		Path image = test.settings.root().resolve("ves/disk/disk.img");
		System.out.printf("image: %d MB apparent, %s KB on the host's disk%n", Files.size(image) >> 20,
				TestEngine.run("du", "-k", image.toString()).split("\\s")[0]);
		engine.stop("disk", Duration.ofSeconds(10));
	}

	private static void density(TestEngine test, int n) throws Exception {
		VeEngine engine = test.engine;
		long before = usedMemoryKb();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> work = new ArrayList<>();
		long t0 = System.nanoTime();
		for (int i = 0; i < n; i++) {
			String name = "d" + i;
			work.add(pool.submit(() -> {
				engine.create(new VeSpec(name, "busybox", null));
				engine.start(name);
			}));
		}
		try {
			for (Future<?> f : work) {
				f.get();
			}
		}
		finally {
			// nothing may start VEs behind the clean-up's back
			pool.shutdownNow();
			pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
		}
		System.out.printf("started %d VEs in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
		Thread.sleep(3000);
		long after = usedMemoryKb();
		System.out.printf("host memory in use: %d MB before, %d MB after: %.0f KB per VE (everything: init, supervisor,"
				+ " kernel objects, page cache of new files)%n", before / 1024, after / 1024, (after - before) / (double) n);
		long supervisorsPss = 0;
		long initPss = 0;
		for (VeStatus ve : engine.list()) {
			long init = ve.initPid().getAsLong();
			initPss += pssKb(init);
			long supervisor = ProcessHandle.of(init).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(0L);
			supervisorsPss += pssKb(supervisor);
		}
		System.out.printf("host-side overhead per VE (supervisor PSS): %.0f KB; the VE's own init: %.0f KB PSS%n",
				supervisorsPss / (double) n, initPss / (double) n);
		long diskKb = Long.parseLong(TestEngine.run("du", "-sk", test.settings.root().resolve("ves").toString())
			.split("\\s")[0]);
		System.out.printf("disk beyond the template: %.1f KB per VE%n", diskKb / (double) n);
		double[] execMillis = new double[n];
		for (int i = 0; i < n; i++) {
			long e0 = System.nanoTime();
			TestEngine.Result result = test.sh("d" + i, "echo ok");
			execMillis[i] = (System.nanoTime() - e0) / 1e6;
			if (!result.output().equals("ok\n")) {
				throw new IllegalStateException("d" + i + " did not answer: " + result);
			}
		}
		report("exec 'echo ok' into each of " + n + " running VEs", execMillis);
		engine.list().forEach(ve -> engine.usage(ve.name()));
		long u0 = System.nanoTime();
		for (VeStatus ve : engine.list()) {
			engine.usage(ve.name());
		}
		System.out.printf("usage of all %d VEs (memory, CPU %%, processes, OOM kills, I/O), one pass: %.0f ms%n", n,
				(System.nanoTime() - u0) / 1e6);
		System.out.printf("engine JVM threads: %d%n", Thread.activeCount());
		long d0 = System.nanoTime();
		for (VeStatus ve : engine.list()) {
			engine.destroy(ve.name());
		}
		System.out.printf("destroyed %d VEs in %.1f s%n", n, (System.nanoTime() - d0) / 1e9);
	}

	static long usedMemoryKb() throws Exception {
		long total = 0;
		long available = 0;
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("MemTotal:")) {
				total = Long.parseLong(line.replaceAll("\\D", ""));
			}
			if (line.startsWith("MemAvailable:")) {
				available = Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return total - available;
	}

	private static long pssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
				if (line.startsWith("Pss:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (Exception ex) {
			// gone
		}
		return 0;
	}

	static void report(String what, double[] millis) {
		double[] sorted = millis.clone();
		Arrays.sort(sorted);
		System.out.printf("%s: n=%d median %.1f ms, min %.1f, p90 %.1f, max %.1f%n", what, sorted.length,
				sorted[sorted.length / 2], sorted[0], sorted[(int) (sorted.length * 0.9)], sorted[sorted.length - 1]);
	}
}
