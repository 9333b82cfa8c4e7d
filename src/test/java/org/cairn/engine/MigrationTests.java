// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.cairn.engine.migration.Move;
import org.cairn.engine.migration.ImageChunks;
import org.cairn.engine.migration.ImageSync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cold moves between two engines of this machine (two nodes' roots, uid ranges and cgroups): a VE's files, disk,
 * owners, deletions and snapshots arrive; a move called off or cut short leaves the VE on the source, whole.
 */
class MigrationTests {

	private static final long MB = 1 << 20;

	private static final Duration STOP = Duration.ofSeconds(10);

	private TestEngine first;

	private TestEngine second;

	@BeforeEach
	void openEngines() throws IOException {
		first = TestEngine.create("auto");
		second = TestEngine.create("auto");
	}

	@AfterEach
	void closeEngines() {
		first.close();
		second.close();
	}

	/** The engine whose uid range starts lower: a VE moved from it to the other gets a range of the other's. */
	private TestEngine lower() {
		return first.settings.firstUid() < second.settings.firstUid() ? first : second;
	}

	private TestEngine higher() {
		return lower() == first ? second : first;
	}

	@Test
	void aRunningVeWithADiskMovesWithItsFilesOwnersAndSnapshots() {
		TestEngine from = lower();
		TestEngine to = higher();
		from.engine.create(new VeSpec("mover", "busybox", null, null, null, ResourceLimits.NONE.withDisk(128 * MB, 0)));
		from.engine.start("mover");
		assertThat(from.sh("mover", "dd if=/dev/urandom of=/root/big bs=1M count=24 2>/dev/null && echo hello > /root/f"
				+ " && chown 1000:1001 /root/f && cp /bin/busybox /root/su && chmod 4755 /root/su && rm /etc/hostname")
			.exitCode()).isZero();
		from.engine.snapshots().create("mover", "s1");
		String sum = from.sh("mover", "md5sum /root/big").output();
		long oldBase = from.engine.status("mover").uidBase();

		Move move = new Move(from.engine, to.engine, "mover", step -> {
		});
		move.copyWhileRunning();
		assertThat(from.engine.status("mover").state()).as("still running on the source").isEqualTo(VeState.RUNNING);
		assertThat(from.sh("mover", "echo changed > /root/late && rm /root/f && echo again > /root/f"
				+ " && chown 1000:1001 /root/f").exitCode()).isZero();
		move.stopAndCopyTheRest(STOP);
		assertThatThrownBy(() -> from.engine.start("mover")).as("never on two nodes")
			.hasMessageContaining("moving to another node");
		move.arrive(true);
		move.leaveSource();

		assertThat(to.engine.status("mover").state()).isEqualTo(VeState.RUNNING);
		assertThat(to.engine.status("mover").uidBase()).as("a range of the target's own").isNotEqualTo(oldBase);
		assertThat(from.engine.list()).isEmpty();
		assertThat(to.sh("mover", "md5sum /root/big").output()).isEqualTo(sum);
		assertThat(to.sh("mover", "cat /root/late /root/f; ls -ln /root/f /root/su; ls /etc/hostname 2>&1;"
				+ " ls -ln / | grep ' root$'").output())
			.contains("changed\nagain\n")
			.containsPattern("-rw-r--r-- +1 1000 +1001 .*/root/f")
			.as("setuid kept through the new owners").containsPattern("-rwsr-xr-x +1 0 +0 .*/root/su")
			.as("a file deleted in the VE stays deleted (overlay's whiteout)").contains("No such file")
			.containsPattern("drwx------ +\\d+ 0 +0 .* root");
		assertThat(to.engine.snapshots().list("mover")).extracting(VeSnapshots.Snapshot::name).containsExactly("s1");
		assertThat(to.engine.limits("mover").diskBytes()).isEqualTo(128 * MB);
		assertThat(to.engine.usage("mover").disk().usedBytes()).as("the disk copied sparse, not its 128 MB")
			.isLessThan(100 * MB);
		to.engine.snapshots().rollback("mover", "s1");
		assertThat(to.sh("mover", "cat /root/f; test -e /root/late || echo gone").output()).contains("hello", "gone");
	}

	@Test
	void aVeWithoutADiskMovesWithItsDeletionsAndKeepsItsRangeWhereItIsFree() {
		TestEngine from = higher();
		TestEngine to = lower();
		from.engine.create(new VeSpec("plain", "busybox", null));
		from.engine.start("plain");
		from.sh("plain", "echo one > /root/one && echo two > /root/two");
		Move move = new Move(from.engine, to.engine, "plain", step -> {
		});
		move.copyWhileRunning();
		from.sh("plain", "rm /root/one && rm /etc/motd 2>/dev/null; echo three > /root/three");
		move.stopAndCopyTheRest(STOP);
		move.arrive(true);
		move.leaveSource();
		assertThat(to.engine.status("plain").uidBase()).isEqualTo(from.settings.firstUid());
		assertThat(to.sh("plain", "ls /root").output()).doesNotContain("one").contains("two", "three");
	}

	@Test
	void aMoveCalledOffOrCutShortLeavesTheVeOnTheSource() throws IOException {
		TestEngine from = first;
		TestEngine to = second;
		from.engine.create(new VeSpec("stays", "busybox", null, null, null, ResourceLimits.NONE.withDisk(96 * MB, 0)));
		from.engine.start("stays");
		from.sh("stays", "dd if=/dev/urandom of=/root/big bs=1M count=40 2>/dev/null");
		String sum = from.sh("stays", "md5sum /root/big").output();

		// the connection drops after 8 MB: what arrived stays, and the next try sends only the rest
		VeMigrations.Arrival begun = to.engine.migrations().receive(from.engine.migrations().depart("stays"));
		try (InputStream cut = new Cut(from.engine.migrations().sendImage("stays", begun.image(), false), 8 * MB)) {
			assertThatThrownBy(() -> to.engine.migrations().applyImage("stays", cut))
				.hasMessageContaining("did not all arrive");
		}
		ImageChunks partial = to.engine.migrations().receive(from.engine.migrations().depart("stays")).image();
		assertThat(partial.digests()).as("the chunks that arrived are kept").isNotEmpty();
		Path incoming = to.settings.root().resolve("ves/.incoming-stays");
		assertThat(incoming).exists();

		Move move = new Move(from.engine, to.engine, "stays", step -> {
		});
		move.copyWhileRunning();
		move.stopAndCopyTheRest(STOP);
		move.callOff(true);
		assertThat(incoming).as("the partial copy is removed").doesNotExist();
		assertThat(from.engine.status("stays").state()).isEqualTo(VeState.RUNNING);
		assertThat(from.sh("stays", "md5sum /root/big").output()).isEqualTo(sum);
		assertThat(to.engine.list()).isEmpty();
		assertThatThrownBy(() -> to.engine.migrations().arrive("stays", false)).isInstanceOf(EngineException.NotFound.class);

		// a target that has a VE of that name, or lacks the template, refuses before anything is copied
		to.engine.create(new VeSpec("stays", "busybox", null));
		assertThatThrownBy(() -> to.engine.migrations().receive(from.engine.migrations().depart("stays")))
			.hasMessageContaining("has a VE named stays");
		assertThat(ImageSync.copied(incoming.resolve("disk.img")).digests()).isEmpty();
	}

	/**
	 * A debian-12 VE (systemd, dbus, logind, journald, sshd, cron) moves cold with a 1 GB disk and boots on the other
	 * node, then moves back live: its processes carry on there, systemd's included.
	 */
	@Test
	void aDebianVeWithAOneGigabyteDiskMovesColdThenLiveBack() throws Exception {
		TestEngine from = higher();
		TestEngine to = lower();
		from.installTemplate("debian-12");
		to.installTemplate("debian-12");
		from.engine.create(new VeSpec("deb", "debian-12", "deb.example.com", null, null,
				ResourceLimits.NONE.withDisk(1024 * MB, 0)));
		from.engine.start("deb");
		assertThat(SystemdTemplateTests.bootState(from, "deb")).isIn("running", "degraded");
		assertThat(from.sh("deb", "echo kept > /root/kept && dd if=/dev/urandom of=/root/data bs=1M count=64"
				+ " 2>/dev/null && systemctl enable --now systemd-timesyncd 2>/dev/null; true").exitCode()).isZero();
		String sum = from.sh("deb", "md5sum /root/data").output();

		Move move = new Move(from.engine, to.engine, "deb", step -> {
		});
		move.copyWhileRunning();
		Move.Stopped stopped = move.stopAndCopyTheRest(STOP);
		move.arrive(true);
		move.leaveSource();

		assertThat(SystemdTemplateTests.bootState(to, "deb")).as("stopped in %s, copied in %s", stopped.stop(),
				stopped.copy()).isIn("running", "degraded");
		assertThat(to.sh("deb", "cat /root/kept; md5sum /root/data; hostname").output())
			.contains("kept", sum.strip(), "deb");
		assertThat(to.engine.limits("deb").diskBytes()).isEqualTo(1024 * MB);
		assertThat(from.engine.list()).isEmpty();

		assertThat(to.sh("deb", COUNTER).exitCode()).isZero();
		String counter = to.sh("deb", "cat /counter.pid").output().strip();
		String sshd = to.sh("deb", "systemctl show -P MainPID ssh").output().strip();
		Thread.sleep(300);
		long before = count(to, "deb");

		Move back = new Move(to.engine, from.engine, "deb", step -> {
		}, true);
		back.copyWhileRunning();
		back.stopAndCopyTheRest(STOP);
		back.arrive(true);
		back.leaveSource();

		assertThat(SystemdTemplateTests.bootState(from, "deb")).as("systemd carries on").isIn("running", "degraded");
		long after = count(from, "deb");
		Thread.sleep(300);
		assertThat(after).as("the counter goes on from the value it held in memory").isGreaterThanOrEqualTo(before);
		assertThat(count(from, "deb")).isGreaterThan(after);
		assertThat(from.sh("deb", "cat /proc/" + counter + "/cmdline | tr '\\0' ' '").output()).contains("while");
		assertThat(from.sh("deb", "systemctl show -P MainPID ssh").output().strip())
			.as("the same sshd, not a new one").isEqualTo(sshd);
		assertThat(from.sh("deb", "cat /root/kept; hostname").output()).contains("kept", "deb");
		assertThat(to.engine.list()).isEmpty();

		// restored once, saved again (the watches systemd holds were restored on other files' paths)
		from.engine.checkpoints().checkpoint("deb");
		from.engine.checkpoints().restore("deb");
		assertThat(SystemdTemplateTests.bootState(from, "deb")).isIn("running", "degraded");
		assertThat(from.sh("deb", "cat /proc/" + counter + "/cmdline | tr '\\0' ' '").output()).contains("while");
	}

	/** A process of the VE counting in memory; the file only shows how far it got. */
	private static final String COUNTER = "setsid sh -c 'i=0; while :; do i=$((i+1)); echo $i > /run-count; sleep 0.05;"
			+ " done' > /dev/null 2>&1 < /dev/null & echo $! > /counter.pid";

	private static long count(TestEngine engine, String ve) {
		return Long.parseLong(engine.sh(ve, "cat /run-count").output().strip());
	}

	@Test
	void aRunningVeMovesLiveWithItsProcessesAndWhatTheyHeldInMemory() throws Exception {
		TestEngine from = higher();
		TestEngine to = lower();
		from.engine.create(new VeSpec("alive", "busybox", "alive.example", null, null,
				ResourceLimits.NONE.withDisk(128 * MB, 0)));
		from.engine.start("alive");
		assertThat(from.sh("alive", COUNTER + " && dd if=/dev/urandom of=/root/data bs=1M count=16 2>/dev/null")
			.exitCode()).isZero();
		String counter = from.sh("alive", "cat /counter.pid").output().strip();
		Move move = new Move(from.engine, to.engine, "alive", step -> {
		}, true);
		move.copyWhileRunning();
		assertThat(from.sh("alive", "echo late > /root/late").exitCode()).isZero();
		String sum = from.sh("alive", "md5sum /root/data").output().strip();
		long beforeFreeze = count(from, "alive");

		Move.Stopped saved = move.stopAndCopyTheRest(STOP);
		assertThatThrownBy(() -> from.engine.start("alive")).as("never on two nodes")
			.hasMessageContaining("moving to another node");
		move.arrive(true);
		move.leaveSource();

		assertThat(to.engine.status("alive").state()).as("saved in %s, copied in %s", saved.stop(), saved.copy())
			.isEqualTo(VeState.RUNNING);
		long restored = count(to, "alive");
		assertThat(restored).as("the counter goes on from what it held in memory").isGreaterThanOrEqualTo(beforeFreeze);
		TestEngine.waitFor(() -> count(to, "alive") > restored, Duration.ofSeconds(5), "and counts on");
		assertThat(to.sh("alive", "cat /proc/" + counter + "/cmdline").output()).as("the same process").contains("while");
		assertThat(to.sh("alive", "md5sum /root/data; cat /root/late; hostname").output())
			.contains(sum, "late", "alive.example");
		assertThat(to.engine.checkpoints().saved("alive")).as("restored once").isEmpty();
		assertThat(from.engine.list()).isEmpty();
	}

	@Test
	void aLiveMoveTheTargetCannotRestoreIsCalledOffAndTheVeCarriesOnWhereItWas() throws Exception {
		// from the lower engine to the higher: its ids are below the target's ranges, and saved processes keep theirs
		TestEngine from = lower();
		TestEngine to = higher();
		from.engine.create(new VeSpec("stays", "busybox", null));
		from.engine.start("stays");
		assertThat(from.sh("stays", COUNTER).exitCode()).isZero();
		String counter = from.sh("stays", "cat /counter.pid").output().strip();
		Move move = new Move(from.engine, to.engine, "stays", step -> {
		}, true);
		move.copyWhileRunning();
		long beforeFreeze = count(from, "stays");
		move.stopAndCopyTheRest(STOP);
		assertThatThrownBy(() -> move.arrive(true)).hasMessageContaining("move it cold instead");
		move.callOff(true);

		assertThat(from.engine.status("stays").state()).isEqualTo(VeState.RUNNING);
		assertThat(count(from, "stays")).as("restored where it was").isGreaterThanOrEqualTo(beforeFreeze);
		assertThat(from.sh("stays", "cat /proc/" + counter + "/cmdline").output()).contains("while");
		assertThat(to.engine.list()).isEmpty();
	}

	@Test
	void aBusyboxVeStopsAsSoonAsItsShutdownIsOver() {
		first.engine.create(new VeSpec("quick", "busybox", null));
		first.engine.start("quick");
		assertThat(first.sh("quick", "(sleep 1000 </dev/null >/dev/null 2>&1 &) ; echo started").output())
			.contains("started");
		long t0 = System.nanoTime();
		first.engine.stop("quick", Duration.ofSeconds(20));
		long millis = (System.nanoTime() - t0) / 1_000_000;
		// busybox's init would sleep two seconds more after its shutdown (it signals every process, then waits)
		assertThat(millis).as("stopped in %d ms", millis).isLessThan(1800);
		assertThat(first.engine.consoleLog("quick", 1 << 20)).as("its shutdown ran").contains("going down");
	}

	/** A stream that fails after {@code limit} bytes, as a dropped connection. */
	private static final class Cut extends FilterInputStream {

		private long left;

		Cut(InputStream in, long limit) {
			super(in);
			this.left = limit;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (left <= 0) {
				throw new IOException("connection reset");
			}
			int n = super.read(buffer, offset, (int) Math.min(length, left));
			left -= Math.max(0, n);
			return n;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}
	}
}
