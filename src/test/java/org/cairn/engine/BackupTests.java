// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backups of VEs into the node's restic repository, and restores of a file, a folder and a whole VE. */
class BackupTests extends EngineTest {

	private static final String STAT = "stat -c '%a %u %g %Y %s'";

	private String sh(String ve, String script) {
		TestEngine.Result result = test.sh(ve, script);
		assertThat(result.exitCode()).as(script + ": " + result.output()).isZero();
		return result.output();
	}

	@Test
	void aDeletedFileAndAChangedFolderComeBackAsTheyWere() {
		engine.create(new VeSpec("a", "busybox", null));
		engine.start("a");
		sh("a", "mkdir -p /root/app/conf && echo 'secret notes' > /root/notes.txt && chmod 640 /root/notes.txt"
				+ " && chown 1000:1001 /root/notes.txt && touch -d '2024-03-01 12:00:00' /root/notes.txt"
				+ " && echo one > /root/app/conf/a.conf && echo two > /root/app/b && chmod 700 /root/app");
		String before = sh("a", STAT + " /root/notes.txt /root/app /root/app/conf/a.conf");
		Snapshot snapshot = engine.backups().create("a", "before-change");
		assertThat(snapshot.tags()).containsExactly("before-change");
		assertThat(engine.backups().list("a")).extracting(Snapshot::id).containsExactly(snapshot.id());

		List<SnapshotEntry> root = engine.backups().files("a", snapshot.shortId(), "/root");
		assertThat(root).extracting(SnapshotEntry::name).contains("notes.txt", "app");
		SnapshotEntry notes = root.stream().filter(e -> e.name().equals("notes.txt")).findFirst().orElseThrow();
		assertThat(notes).extracting(SnapshotEntry::type, SnapshotEntry::size, SnapshotEntry::permissions,
				SnapshotEntry::uid, SnapshotEntry::gid).containsExactly("file", 13L, "rw-r-----", 1000L, 1001L);

		sh("a", "rm /root/notes.txt && echo changed > /root/app/conf/a.conf && rm /root/app/b && echo new > /root/app/c");
		assertThat(engine.backups().restore("a", snapshot.id(), "/root/notes.txt", null)).isEqualTo("/root/notes.txt");
		assertThat(engine.backups().restore("a", snapshot.id(), "/root/app", null)).isEqualTo("/root/app");
		assertThat(sh("a", STAT + " /root/notes.txt /root/app /root/app/conf/a.conf")).isEqualTo(before);
		assertThat(sh("a", "cat /root/notes.txt /root/app/conf/a.conf /root/app/b; ls /root/app")).isEqualTo(
				"secret notes\none\ntwo\nb\nconf\n");

		// under another folder, which is made
		assertThat(engine.backups().restore("a", snapshot.id(), "/root/app/conf", "/srv/restored"))
			.isEqualTo("/srv/restored/conf");
		assertThat(sh("a", "cat /srv/restored/conf/a.conf; ls -a / | grep -c cairn-restore || true")).isEqualTo("one\n0\n");
		assertThat(engine.status("a").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void aWholeVeComesBackAsItWasAndRunsAgain() {
		engine.create(new VeSpec("w", "busybox", null));
		engine.start("w");
		sh("w", "echo kept > /root/kept && rm /etc/hostname");
		Snapshot snapshot = engine.backups().create("w", null);
		sh("w", "echo later > /root/later && echo changed > /root/kept && echo w > /etc/hostname && rm -r /root");
		engine.backups().restoreWhole("w", snapshot.id());
		assertThat(engine.status("w").state()).isEqualTo(VeState.RUNNING);
		assertThat(sh("w", "cat /root/kept; ls /root; [ -e /etc/hostname ] && echo hostname || echo no-hostname"))
			.isEqualTo("kept\nkept\nno-hostname\n");

		// a stopped VE is restored and left stopped; a stopped VE is backed up too
		engine.stop("w", Duration.ofSeconds(10));
		Snapshot stopped = engine.backups().create("w", null);
		assertThat(engine.backups().files("w", stopped.id(), "/root")).extracting(SnapshotEntry::name)
			.containsExactly("kept");
		engine.backups().restoreWhole("w", snapshot.id());
		assertThat(engine.status("w").state()).isEqualTo(VeState.STOPPED);
		assertThat(test.settings.root().resolve("ves/w/hold")).doesNotExist();
	}

	@Test
	void escapesThroughLinksDotsAndOtherVesBackupsReachNothingOutside() throws Exception {
		Path secret = Files.createTempFile("cairn-host-secret-", ".txt");
		try {
			Files.writeString(secret, "host secret\n");
			engine.create(new VeSpec("x", "busybox", null));
			engine.create(new VeSpec("y", "busybox", null));
			engine.start("x");
			engine.start("y");
			// links to the host's paths, as absolute and as relative links
			sh("x", "ln -s " + secret + " /root/link && ln -s /tmp /root/tmpdir && ln -s ../../../../../.." + secret
					+ " /root/rel && mkdir -p /root/real && echo mine > /root/real/f");
			Snapshot snapshot = engine.backups().create("x", null);
			List<SnapshotEntry> root = engine.backups().files("x", snapshot.id(), "/root");
			assertThat(root).filteredOn(e -> e.name().equals("link")).extracting(SnapshotEntry::type)
				.containsExactly("symlink");
			assertThat(engine.backups().storedBytes()).isPositive();

			assertThatThrownBy(() -> engine.backups().restore("x", snapshot.id(), "/root/../etc", null))
				.hasMessageStartingWith("path:");
			assertThatThrownBy(() -> engine.backups().restore("x", snapshot.id(), "root/real", null))
				.hasMessageStartingWith("path:");
			assertThatThrownBy(() -> engine.backups().files("x", snapshot.id(), "/root/link/..")).hasMessageStartingWith("path:");
			assertThatThrownBy(() -> engine.backups().restore("y", snapshot.id(), "/root/real", null))
				.as("x's backup is not y's").hasMessage("snapshot: " + snapshot.id() + " is not a backup of y");

			// a restore into a folder that is a link to a host path stays inside the VE
			sh("x", "ln -s " + secret.getParent() + " /root/out");
			String landed = engine.backups().restore("x", snapshot.id(), "/root/real", "/root/out");
			assertThat(landed).isEqualTo("/root/out/real");
			assertThat(Files.exists(secret.getParent().resolve("real"))).as("nothing written on the host").isFalse();
			assertThat(sh("x", "cat /root/out/real/f")).isEqualTo("mine\n");
			assertThat(Files.readString(secret)).isEqualTo("host secret\n");
			// links come back as links: their target is read by no one
			engine.backups().restore("x", snapshot.id(), "/root/link", "/root/again");
			assertThat(sh("x", "readlink /root/again/link; cat /root/again/link 2>&1 || true"))
				.startsWith(secret + "\n").doesNotContain("host secret");
		}
		finally {
			Files.deleteIfExists(secret);
		}
	}

	@Test
	void backupsAreIncrementalAndDeduplicatedAcrossVes() {
		engine.create(new VeSpec("d1", "busybox", null));
		engine.start("d1");
		sh("d1", "head -c 3000000 /dev/urandom > /root/data");
		engine.backups().create("d1", null);
		long first = engine.backups().storedBytes();
		engine.backups().create("d1", null);
		long second = engine.backups().storedBytes();
		assertThat(second - first).as("an unchanged VE's second backup").isLessThan(20_000);
		for (String name : List.of("d2", "d3", "d4")) {
			engine.create(new VeSpec(name, "busybox", null));
			engine.backups().create(name, null);
		}
		long four = engine.backups().storedBytes();
		assertThat(four - second).as("three VEs of the same template").isLessThan(60_000);
		System.out.printf("backup figures: first %d bytes, second +%d, three more VEs +%d%n", first, second - first,
				four - second);
		assertThat(engine.backups().check(false)).contains("no errors were found");
	}
}
