// SPDX-License-Identifier: Apache-2.0
package org.cairn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cairn.engine.EngineSettings;
import org.cairn.engine.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debian package that {@code mvn package} builds: lintian finds nothing wrong with it, and on a fresh Debian 12
 * root (debootstrap, in a mount namespace of the test's own) it installs over the previous version's package, keeps
 * a changed configuration and the VEs' data across the upgrade, runs {@code cairn --version} and {@code man cairn},
 * and leaves /var/lib/cairn alone when removed and purged (install-upgrade-purge.sh says each step).
 */
class DebPackageIT {

	private Path work;

	@AfterEach
	void clean() throws IOException {
		if (work == null) {
			return;
		}
		// the root's mounts lived in the script's own mount namespace; never delete through one that outlived it
		String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
		assertThat(mounts).as("mounts left under " + work).doesNotContain(work.toString());
		Trees.delete(work);
	}

	private static Path newestPackage() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(p -> p.getFileName().toString().matches("cairn_.*_amd64\\.deb"))
				.max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
				.orElseThrow(() -> new AssertionError("no target/cairn_*_amd64.deb: run mvn package"));
		}
	}

	private static String run(List<String> command, long minutes) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(minutes, TimeUnit.MINUTES)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
		return text;
	}

	@Test
	void lintianFindsNothingToSay() throws Exception {
		String report = run(List.of("lintian", "--tag-display-limit", "0", newestPackage().toString()), 5);
		assertThat(report.lines().filter(line -> line.matches("^[EW]: .*"))).isEmpty();
	}

	@Test
	void installsUpgradesAndPurgesOnAFreshDebian() throws Exception {
		Path deb = newestPackage().toAbsolutePath();
		work = Files.createTempDirectory("cairn-deb-it-");
		// the previous version: this package with a lower version, as an upgrade finds it installed
		Path unpacked = work.resolve("previous");
		run(List.of("dpkg-deb", "-R", deb.toString(), unpacked.toString()), 5);
		Path control = unpacked.resolve("DEBIAN/control");
		Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: 0.0.9"));
		Path previous = work.resolve("cairn_0.0.9_amd64.deb");
		run(List.of("dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "-b", unpacked.toString(), previous.toString()), 5);
		Trees.delete(unpacked);

		String mirror = System.getenv().getOrDefault("CAIRN_DEBIAN_MIRROR", EngineSettings.DEFAULT_MIRROR);
		Path script = Path.of("src/test/resources/deb/install-upgrade-purge.sh").toAbsolutePath();
		String log = run(List.of("unshare", "-m", "--propagation", "private", "bash", script.toString(),
				work.resolve("root").toString(), previous.toString(), deb.toString(), System.getProperty("java.home"),
				mirror), 20);
		assertThat(log).contains("ok: installed 0.0.9", "ok: files in place, the AOT cache made by postinst",
				"ok: cairn.service enabled", "ok: systemd-analyze verify: no complaint",
				"ok: the changed cairn.env kept", "ok: /var/lib/cairn kept", "ok: cairn ve list answers", "ok: zsh finds cairn's completion",
				"ok: removed: unit and command gone, configuration kept",
				"ok: purged: configuration, unit state and cache gone", "ok: purged: /var/lib/cairn still there");
		assertThat(log).containsPattern("ok: upgraded to 0\\.1\\.0~\\d{14}");
		assertThat(log).contains("version: cairn 0.1.0");
		assertThat(log).containsPattern("man: +cairn-ve - Create, run and remove Virtual Environments");
		assertThat(log).contains("cairn: /var/lib/cairn (VEs, backups, the panel's database) is kept");
	}
}
