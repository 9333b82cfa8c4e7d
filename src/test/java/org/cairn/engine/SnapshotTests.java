// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots of a VE's files: taken running or stopped, rolled back to, deleted; on its disk when it has one. */
class SnapshotTests extends EngineTest {

	private static final long MB = 1L << 20;

	private static final Duration STOP = Duration.ofSeconds(20);

	@Test
	void aRunningVeRollsBackToWhatItWasFrozenOnlyForAMoment() {
		engine.create(new VeSpec("snap", "busybox", null));
		engine.start("snap");
		test.sh("snap", "echo one > /root/a; mkdir -p /srv/site && echo page > /srv/site/index.html;"
				+ " ln -s / /root/everything; ln /root/a /root/a-too");
		VeSnapshots.Snapshot first = engine.snapshots().create("snap", "before-upgrade");
		assertThat(first.frozen()).as("frozen only for the second pass").isLessThan(Duration.ofSeconds(2)).isPositive();
		assertThat(first.bytes()).isPositive();

		test.sh("snap", "echo two > /root/a; echo new > /root/b; rm -r /srv/site; rm /etc/inittab.bak 2>/dev/null;"
				+ " rm /etc/profile");
		VeSnapshots.Snapshot second = engine.snapshots().create("snap", "after");
		assertThat(engine.snapshots().list("snap")).extracting(VeSnapshots.Snapshot::name)
			.containsExactly("before-upgrade", "after");
		assertThatThrownBy(() -> engine.snapshots().create("snap", "after")).hasMessageContaining("has a snapshot named after");
		assertThat(second.name()).isEqualTo("after");

		long init = engine.status("snap").initPid().getAsLong();
		engine.snapshots().rollback("snap", "before-upgrade");
		assertThat(engine.status("snap").state()).as("it ran, so it runs again").isEqualTo(VeState.RUNNING);
		assertThat(engine.status("snap").initPid().getAsLong()).isNotEqualTo(init);
		assertThat(test.sh("snap", "cat /root/a /srv/site/index.html; ls /root/b 2>&1; test -f /etc/profile && echo profile")
			.output()).isEqualTo("one\npage\nls: /root/b: No such file or directory\nprofile\n");
		assertThat(test.sh("snap", "readlink /root/everything; stat -c %h /root/a").output())
			.as("a symlink stays a link (never what it points at); hard links stay linked")
			.isEqualTo("/\n2\n");

		engine.snapshots().rollback("snap", "after");
		assertThat(test.sh("snap", "cat /root/a /root/b; ls /srv/site 2>&1; test -f /etc/profile || echo gone").output())
			.as("a file of the template deleted in the VE is deleted again (overlay's whiteout)")
			.isEqualTo("two\nnew\nls: /srv/site: No such file or directory\ngone\n");

		engine.snapshots().delete("snap", "before-upgrade");
		assertThat(engine.snapshots().list("snap")).extracting(VeSnapshots.Snapshot::name).containsExactly("after");
		assertThat(test.settings.root().resolve("ves/snap/snapshots/before-upgrade")).doesNotExist();
		assertThatThrownBy(() -> engine.snapshots().rollback("snap", "before-upgrade"))
			.hasMessageContaining("no snapshot named before-upgrade");
		assertThatThrownBy(() -> engine.snapshots().create("snap", "../x")).hasMessageStartingWith("snapshot:");
		assertThat(test.sh("snap", "ls -a /").output()).as("the VE sees nothing of its snapshots")
			.doesNotContain("snapshots");
		assertThat(engine.consoleLog("snap", 1 << 20)).as("rollbacks kill: a clean shutdown would only write what is"
				+ " put back").doesNotContain("going down");
		engine.stop("snap", STOP);
		assertThat(engine.consoleLog("snap", 1 << 20)).as("a stop is busybox's clean shutdown").contains("going down");
	}

	@Test
	void onItsOwnDiskSnapshotsCountAgainstTheQuotaAndAFullDiskLeavesNothingBehind() throws Exception {
		engine.create(new VeSpec("quota", "busybox", null, null, null, ResourceLimits.NONE.withDisk(64 * MB, 0)));
		engine.start("quota");
		test.sh("quota", "dd if=/dev/urandom of=/root/data bs=1M count=12 2>/dev/null; sync");
		long used = engine.usage("quota").disk().usedBytes();
		VeSnapshots.Snapshot snapshot = engine.snapshots().create("quota", "s1");
		assertThat(snapshot.bytes()).isGreaterThan(12 * MB);
		assertThat(engine.usage("quota").disk().usedBytes()).as("the copy is on the VE's disk")
			.isGreaterThan(used + 11 * MB);
		assertThat(test.sh("quota", "ls -a /; df -k / | awk 'NR==2 {print $2}'").output()).doesNotContain("snapshots")
			.endsWith("65536\n");

		// stopped: rolled back and left stopped
		test.sh("quota", "rm /root/data");
		engine.stop("quota", STOP);
		engine.snapshots().rollback("quota", "s1");
		assertThat(engine.status("quota").state()).isEqualTo(VeState.STOPPED);
		engine.start("quota");
		assertThat(test.sh("quota", "ls -l /root/data | awk '{print $5}'").output()).isEqualTo(12 * MB + "\n");

		// 12 MB of new data and two copies of it do not fit in what is left: refused, nothing half made
		test.sh("quota", "dd if=/dev/urandom of=/root/more bs=1M count=20 2>/dev/null; sync");
		assertThatThrownBy(() -> engine.snapshots().create("quota", "s2")).hasMessageContaining("disk is full");
		assertThat(engine.snapshots().list("quota")).extracting(VeSnapshots.Snapshot::name).containsExactly("s1");
		long afterFailure = engine.usage("quota").disk().usedBytes();
		assertThat(afterFailure).as("the partial copy is gone").isLessThan(used + 12 * MB + 21 * MB + 4 * MB);
		assertThat(engine.status("quota").state()).as("and the VE was thawed").isEqualTo(VeState.RUNNING);
		assertThat(test.sh("quota", "echo alive").output()).isEqualTo("alive\n");
		engine.destroy("quota");
		assertThat(Path.of(test.settings.root().toString(), "ves", "quota")).doesNotExist();
	}

	@Test
	void aStoppedVeIsSnapshottedWithoutRunningAnythingOfIt() throws Exception {
		engine.create(new VeSpec("cold", "busybox", null));
		engine.start("cold");
		test.sh("cold", "echo kept > /root/kept");
		engine.stop("cold", STOP);
		VeSnapshots.Snapshot snapshot = engine.snapshots().create("cold", "nightly.1");
		assertThat(snapshot.frozen()).isZero();
		assertThat(engine.status("cold").state()).isEqualTo(VeState.STOPPED);
		assertThat(Files.readString(test.settings.root().resolve("ves/cold/snapshots/nightly.1/root/kept"))).isEqualTo("kept\n");
	}
}
