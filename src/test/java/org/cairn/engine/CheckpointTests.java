// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoints on one node (CRIU, deploy/criu.sh): a running VE saved to disk and stopped comes back as it was, its
 * processes with what they held in memory; one CRIU cannot save runs on unchanged and the error says why.
 */
class CheckpointTests {

	private static final long MB = 1 << 20;

	/** A process of the VE counting in memory; the file only shows how far it got. */
	private static final String COUNTER = "setsid sh -c 'i=0; while :; do i=$((i+1)); echo $i > /run-count; sleep 0.05; done'"
			+ " > /dev/null 2>&1 < /dev/null &";

	private TestEngine test;

	@BeforeEach
	void openEngine() throws IOException {
		test = TestEngine.create("auto");
	}

	@AfterEach
	void closeEngine() {
		test.close();
	}

	private long count(String ve) {
		return Long.parseLong(test.sh(ve, "cat /run-count").output().strip());
	}

	@Test
	void aRunningVeIsSavedAndComesBackWithWhatItsProcessesHeldInMemory() throws Exception {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("saved", "busybox", "saved-host", null, null,
				ResourceLimits.NONE.withDisk(64 * MB, 0)));
		engine.start("saved");
		assertThat(test.sh("saved", COUNTER + " echo $! > /counter.pid").exitCode()).isZero();
		Thread.sleep(500);
		String counterPid = test.sh("saved", "cat /counter.pid").output().strip();
		long beforeSave = count("saved");

		VeStatus saved;
		try {
			saved = engine.checkpoints().checkpoint("saved");
		}
		catch (EngineException ex) {
			java.nio.file.Path log = test.settings.root().resolve("ves/saved/checkpoint-failed.log");
			throw new AssertionError(ex.getMessage() + "\n" + (java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : ""), ex);
		}

		assertThat(saved.state()).isEqualTo(VeState.STOPPED);
		assertThat(saved.stopReason()).contains("checkpoint");
		assertThat(engine.checkpoints().saved("saved")).hasValueSatisfying(c -> assertThat(c.bytes()).isPositive());
		assertThatThrownBy(() -> test.sh("saved", "true")).as("nothing of it runs while it is saved")
			.hasMessageContaining("stopped");

		VeStatus back = engine.checkpoints().restore("saved");

		assertThat(back.state()).isEqualTo(VeState.RUNNING);
		long restored = count("saved");
		Thread.sleep(500);
		assertThat(restored).as("the counter goes on from the value it held in memory").isGreaterThanOrEqualTo(beforeSave);
		assertThat(count("saved")).as("and counts on").isGreaterThan(restored);
		assertThat(test.sh("saved", "cat /proc/" + counterPid + "/cmdline | tr '\\0' ' '").output())
			.as("the same process, with the same pid inside").contains("while");
		assertThat(test.sh("saved", "hostname").output().strip()).isEqualTo("saved-host");
		assertThat(test.sh("saved", "grep -E ' /(sys/firmware|proc/acpi) ' /proc/mounts").output())
			.as("the node's firmware and ACPI folders stay masked: empty, read-only tmpfs")
			.contains("/sys/firmware tmpfs ro,").contains("/proc/acpi tmpfs ro,");
		assertThat(test.sh("saved", "ls -A /sys/firmware /proc/acpi; touch /sys/firmware/x 2>&1").output())
			.contains("Read-only file system").doesNotContain("dmi").doesNotContain("button");
		assertThat(test.sh("saved", "echo shared > /dev/shm/s && cat /dev/shm/s").output()).contains("shared");
		assertThat(engine.checkpoints().saved("saved")).as("a checkpoint is restored once").isEmpty();
		assertThat(test.sh("saved", "echo ok > /root/after && cat /root/after").output()).contains("ok");
		engine.stop("saved", Duration.ofSeconds(10));
		assertThat(engine.status("saved").state()).isEqualTo(VeState.STOPPED);
	}

	@Test
	void aVeCriuCannotSaveRunsOnUnchangedAndTheErrorSaysWhy() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("fused", "busybox", null, null, null, ResourceLimits.NONE));
		engine.start("fused");
		// a FUSE file system's device, which CRIU cannot save
		assertThat(test.sh("fused", COUNTER.replace("sh -c 'i=0;", "sh -c 'exec 3<>/dev/fuse; i=0;")).exitCode())
			.isZero();
		TestEngine.waitFor(() -> test.sh("fused", "cat /run-count").exitCode() == 0, Duration.ofSeconds(5), "it counts");

		assertThatThrownBy(() -> engine.checkpoints().checkpoint("fused")).isInstanceOf(EngineException.class)
			.hasMessageContaining("CRIU could not checkpoint the VE").hasMessageContaining("10:229")
			.hasMessageContaining("checkpoint-failed.log");

		assertThat(engine.status("fused").state()).as("it runs on").isEqualTo(VeState.RUNNING);
		long now = count("fused");
		TestEngine.waitFor(() -> count("fused") > now, Duration.ofSeconds(5), "and counts on, unfrozen");
		assertThat(engine.checkpoints().saved("fused")).isEmpty();
		assertThat(test.settings.root().resolve("ves/fused/.checkpoint-new")).doesNotExist();
	}

	@Test
	void aCheckpointCutShortByTheEnginesDeathLeavesTheVeRunningAndNoPartialImages() throws Exception {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("cut", "busybox", null));
		engine.start("cut");
		assertThat(test.sh("cut", COUNTER).exitCode()).isZero();
		// as the engine leaves it when it dies inside CRIU's dump: the VE frozen, images begun, the operation marked
		engine.suspend("cut");
		java.nio.file.Path ve = test.settings.root().resolve("ves/cut");
		java.nio.file.Files.createDirectories(ve.resolve(".checkpoint-new"));
		java.nio.file.Files.writeString(ve.resolve(".checkpoint-new/pages-1.img"), "partial");
		java.nio.file.Files.writeString(ve.resolve("operation"), "checkpoint");

		VeEngine after = test.reopen();

		assertThat(after.status("cut").state()).as("it runs on").isEqualTo(VeState.RUNNING);
		assertThat(ve.resolve(".checkpoint-new")).doesNotExist();
		assertThat(after.checkpoints().saved("cut")).isEmpty();
		long now = count("cut");
		TestEngine.waitFor(() -> count("cut") > now, Duration.ofSeconds(5), "it counts on");
		after.suspend("cut");
		assertThatThrownBy(() -> after.checkpoints().checkpoint("cut")).as("a suspended VE is resumed first")
			.hasMessageContaining("suspended: resume it");
		assertThat(after.status("cut").state()).isEqualTo(VeState.SUSPENDED);
		after.resume("cut");
	}

	@Test
	void aStoppedVeHasNothingToCheckpointAndAVeWithoutOneNothingToRestore() {
		VeEngine engine = test.engine;
		engine.create(new VeSpec("idle", "busybox", null, null, null, ResourceLimits.NONE));
		assertThatThrownBy(() -> engine.checkpoints().checkpoint("idle")).hasMessageContaining("stopped");
		assertThatThrownBy(() -> engine.checkpoints().restore("idle")).hasMessageContaining("no checkpoint");
		assertThatThrownBy(() -> engine.checkpoints().checkpoint("nosuch")).isInstanceOf(EngineException.NotFound.class);
	}
}
