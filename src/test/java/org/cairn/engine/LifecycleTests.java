// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The life of a VE on the real kernel, as root, with the cgroup driver the host's layout chooses. */
class LifecycleTests extends EngineTest {

	private Path veDir(String name) {
		return test.settings.root().resolve("ves").resolve(name);
	}

	@Test
	void createStartExecStopDestroyAndCreateAgain() {
		VeStatus created = engine.create(new VeSpec("life", "busybox", "life.example.com"));
		assertThat(created.state()).isEqualTo(VeState.STOPPED);

		VeStatus running = engine.start("life");
		assertThat(running.state()).isEqualTo(VeState.RUNNING);
		assertThat(running.initPid()).isPresent();
		assertThat(test.sh("life", "hostname").output().strip()).isEqualTo("life.example.com");
		assertThat(test.sh("life", "exit 7").exitCode()).isEqualTo(7);
		assertThat(test.sh("life", "echo hello > /root/file; cat /root/file").output()).isEqualTo("hello\n");

		assertThat(engine.stop("life", Duration.ofSeconds(20)).state()).isEqualTo(VeState.STOPPED);
		assertThat(ProcessHandle.of(running.initPid().getAsLong()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		assertThat(engine.start("life").state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("life", "cat /root/file").output()).as("files survive a restart").isEqualTo("hello\n");

		engine.destroy("life");
		assertThat(veDir("life")).doesNotExist();
		assertThat(engine.list()).isEmpty();
		assertThat(Path.of("/sys/fs/cgroup/freezer", test.settings.cgroupParent(), "life")).doesNotExist();

		engine.create(new VeSpec("life", "busybox", null));
		engine.start("life");
		assertThat(test.sh("life", "cat /root/file 2>&1; hostname").output()).contains("No such file").contains("life");
	}

	@Test
	void execWithATerminalGivesTheCommandATtyInsideTheVe() throws Exception {
		engine.create(new VeSpec("tty", "busybox", null));
		engine.start("tty");
		Process shell = engine.exec("tty", java.util.List.of("/bin/sh"), true).redirectErrorStream(true).start();
		shell.getOutputStream().write("tty; [ -t 0 ] && echo interactive; stty size; exit 3\n".getBytes());
		shell.getOutputStream().flush();
		String out = new String(shell.getInputStream().readAllBytes());
		assertThat(shell.waitFor()).isEqualTo(3);
		// /dev/pts/0 is the VE's console: a terminal of exec's comes after it
		assertThat(out).containsPattern("/dev/pts/[1-9]").contains("interactive");
		assertThat(new String(engine.exec("tty", java.util.List.of("tty")).start().getInputStream().readAllBytes()))
			.as("without -t there is no terminal")
			.contains("not a tty");
	}

	@Test
	void suspendFreezesEveryProcessUntilResume() throws Exception {
		engine.create(new VeSpec("frozen", "busybox", null));
		engine.start("frozen");
		test.sh("frozen", "(while true; do echo x >> /tmp/ticks; sleep 0.1; done) >/dev/null 2>&1 &");
		TestEngine.waitFor(() -> test.sh("frozen", "wc -l < /tmp/ticks").output().strip().compareTo("2") >= 0,
				Duration.ofSeconds(10), "the ticker runs");

		assertThat(engine.suspend("frozen").state()).isEqualTo(VeState.SUSPENDED);
		long ticks = Files.size(veDir("frozen").resolve("upper/tmp/ticks"));
		Thread.sleep(700);
		assertThat(Files.size(veDir("frozen").resolve("upper/tmp/ticks"))).as("no tick while frozen").isEqualTo(ticks);
		assertThatThrownBy(() -> engine.exec("frozen", java.util.List.of("true"))).isInstanceOf(EngineException.class)
			.hasMessageContaining("suspended");

		assertThat(engine.resume("frozen").state()).isEqualTo(VeState.RUNNING);
		TestEngine.waitFor(() -> {
			try {
				return Files.size(veDir("frozen").resolve("upper/tmp/ticks")) > ticks;
			}
			catch (java.io.IOException ex) {
				return false;
			}
		}, Duration.ofSeconds(10), "ticks resume");
		assertThat(engine.stop("frozen", Duration.ofSeconds(20)).state()).isEqualTo(VeState.STOPPED);
	}

	@Test
	void rebootInsideRestartsOnlyThatVeAndPoweroffStopsIt() {
		engine.create(new VeSpec("boots", "busybox", null));
		engine.create(new VeSpec("bystander", "busybox", null));
		long first = engine.start("boots").initPid().getAsLong();
		long bystander = engine.start("bystander").initPid().getAsLong();

		test.sh("boots", "reboot");
		TestEngine.waitFor(() -> engine.status("boots").initPid().orElse(first) != first, Duration.ofSeconds(20),
				"the VE restarts");
		assertThat(engine.status("boots").state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("boots", "echo up").output()).isEqualTo("up\n");
		assertThat(engine.status("bystander").initPid().getAsLong()).as("the other VE is untouched").isEqualTo(bystander);

		test.sh("boots", "poweroff");
		TestEngine.waitFor(() -> engine.status("boots").state() == VeState.STOPPED, Duration.ofSeconds(20),
				"the VE stops");
		assertThat(Path.of("/sys/fs/cgroup/freezer", test.settings.cgroupParent(), "boots")).doesNotExist();
		assertThat(engine.status("bystander").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void aVeOutlivesTheProcessThatStartedItAndIsAdopted() throws Exception {
		engine.create(new VeSpec("orphan", "busybox", null));
		// start it from another JVM (the CLI), which then exits
		String java = ProcessHandle.current().info().command().orElse("java");
		Process cli = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
				System.getProperty("java.class.path"), "org.cairn.Cairn", "ve", "start", "orphan", "--root",
				test.settings.root().toString(), "--cgroup-parent", test.settings.cgroupParent(), "--first-uid",
				Long.toString(test.settings.firstUid()))
			.redirectErrorStream(true)
			.start();
		String out = new String(cli.getInputStream().readAllBytes());
		assertThat(cli.waitFor()).as(out).isZero();

		VeEngine adopted = test.reopen();
		assertThat(adopted.status("orphan").state()).isEqualTo(VeState.RUNNING);
		assertThat(test.sh("orphan", "echo still here").output()).isEqualTo("still here\n");
		assertThat(adopted.stop("orphan", Duration.ofSeconds(20)).state()).isEqualTo(VeState.STOPPED);
	}

	@Test
	void interruptedOperationsAreRepairedAtTheNextEngineStart() throws Exception {
		engine.create(new VeSpec("repair", "busybox", null));
		// a create that died halfway, a destroy that died halfway, a start that died before the launcher ran
		Path halfCreated = Files.createDirectories(test.settings.root().resolve("ves/.new-ghost-" + test.settings.firstUid()));
		Files.writeString(halfCreated.resolve("ve.properties"), "name=ghost\n");
		Path halfDestroyed = Files.createDirectories(test.settings.root().resolve("ves/.destroying-gone-123"));
		Files.writeString(veDir("repair").resolve("operation"), "start");

		VeEngine restarted = test.reopen();
		assertThat(halfCreated).doesNotExist();
		assertThat(halfDestroyed).doesNotExist();
		assertThat(restarted.status("repair").state()).isEqualTo(VeState.STOPPED);
		assertThat(restarted.start("repair").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void aCreateOrDestroyUnderWayElsewhereIsNotRepaired() throws Exception {
		// what another process's destroy of "leaving" and create of "arriving" look like halfway, their locks held
		Path destroying = Files.createDirectories(test.settings.root().resolve("ves/.destroying-leaving-77"));
		Path creating = Files.createDirectories(test.settings.root().resolve("ves/.new-arriving-78"));
		Files.createDirectories(test.settings.root().resolve("locks"));
		try (var leaving = java.nio.channels.FileChannel.open(test.settings.root().resolve("locks/leaving.lock"),
				java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
				var arriving = java.nio.channels.FileChannel.open(test.settings.root().resolve("locks/arriving.lock"),
						java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
				var held = leaving.lock();
				var alsoHeld = arriving.lock()) {
			test.reopen();
			assertThat(destroying).exists();
			assertThat(creating).exists();
		}
		// once nobody holds them, they are left over from a crash
		test.reopen();
		assertThat(destroying).doesNotExist();
		assertThat(creating).doesNotExist();
	}

	@Test
	void operationsOnOneVeDoNotInterleave() {
		engine.create(new VeSpec("busy", "busybox", null));
		AtomicInteger failures = new AtomicInteger();
		var starts = new java.util.ArrayList<CompletableFuture<Void>>();
		for (int i = 0; i < 4; i++) {
			starts.add(CompletableFuture.runAsync(() -> {
				try {
					engine.start("busy");
				}
				catch (EngineException ex) {
					assertThat(ex.getMessage()).contains("is running, not stopped");
					failures.incrementAndGet();
				}
			}));
		}
		CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
		assertThat(failures.get()).as("exactly one start wins").isEqualTo(3);
		assertThat(engine.status("busy").state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	void badInputIsRefusedAndLeavesNothing() {
		assertThatThrownBy(() -> engine.create(new VeSpec("Bad_Name", "busybox", null))).hasMessageStartingWith("name:");
		assertThatThrownBy(() -> engine.create(new VeSpec("ok", "no-such-template", null)))
			.hasMessageStartingWith("template:");
		assertThatThrownBy(() -> engine.create(new VeSpec("ok", "busybox", "bad host!")))
			.hasMessageStartingWith("hostname:");
		assertThatThrownBy(() -> engine.start("missing")).hasMessageContaining("no VE named 'missing'");
		engine.create(new VeSpec("twice", "busybox", null));
		assertThatThrownBy(() -> engine.create(new VeSpec("twice", "busybox", null))).hasMessageContaining("already exists");
		assertThat(engine.list()).extracting(VeStatus::name).containsExactly("twice");
	}

	@Test
	void eachVeGetsItsOwnRangeOfIdsReusedOnlyAfterDestroy() {
		long a = engine.create(new VeSpec("ids-a", "busybox", null)).uidBase();
		long b = engine.create(new VeSpec("ids-b", "busybox", null)).uidBase();
		assertThat(Math.abs(a - b)).isGreaterThanOrEqualTo(EngineSettings.IDS_PER_VE);
		engine.destroy("ids-a");
		assertThat(engine.create(new VeSpec("ids-c", "busybox", null)).uidBase()).isEqualTo(a);
	}
}
