// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.cairn.engine.backup.RetentionPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All VEs share one restic repository: no VE's backup or restore may fail because another VE's backup runs or
 * its old backups are pruned (restic 0.14 would answer "repository is already locked").
 */
class BackupOrderTests extends EngineTest {

	@Test
	void twoVesBackingUpAndPruningInLoopsForAMinuteNeverFail() throws Exception {
		VeEngine engine = test.engine;
		for (String ve : List.of("one", "two")) {
			engine.create(new VeSpec(ve, "busybox", null));
			engine.start(ve);
			test.sh(ve, "head -c 2000000 /dev/urandom > /root/data");
		}
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		AtomicInteger rounds = new AtomicInteger();
		long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		List<Thread> loops = List.of("one", "two").stream().map(ve -> Thread.ofPlatform().start(() -> {
			while (System.nanoTime() < end) {
				try {
					test.sh(ve, "head -c 100000 /dev/urandom >> /root/data");
					engine.backups().create(ve, "loop");
					engine.backups().forget(ve, new RetentionPolicy(2, 0, 0));
					engine.backups().list(ve);
					rounds.incrementAndGet();
				}
				catch (RuntimeException ex) {
					failures.add(ve + ": " + ex.getMessage());
				}
			}
		})).toList();
		for (Thread loop : loops) {
			loop.join();
		}
		assertThat(failures).isEmpty();
		assertThat(rounds.get()).as("backup and prune rounds").isGreaterThanOrEqualTo(4);
		assertThat(engine.backups().list("one")).hasSize(2);
		assertThat(engine.backups().check(false)).contains("no errors were found");
	}
}
