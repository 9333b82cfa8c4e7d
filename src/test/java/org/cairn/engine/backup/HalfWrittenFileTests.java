// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.cairn.engine.HelperProcess;
import org.cairn.engine.backup.BackupRepository.ProcessResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restic backup that looks for its parent while the relay still writes another backup's snapshot file reads it
 * half-written (seen in CI as "Error loading snapshot …: invalid data returned" from a backup running beside
 * another). Such a run is tried again once the file is whole; a file that stays damaged is still reported.
 */
class HalfWrittenFileTests {

	@TempDir
	Path root;

	private Path snapshotFile;

	private byte[] whole;

	@BeforeEach
	void aRepositoryWithOneSnapshot() throws IOException {
		BackupRepository repository = new BackupRepository(root);
		repository.ensureReady();
		Path files = Files.createDirectories(root.resolve("files"));
		Files.writeString(files.resolve("a"), "the customer's file");
		ProcessResult backup = backUp();
		assertThat(backup.exitCode()).as(backup.err()).isZero();
		try (Stream<Path> snapshots = Files.list(root.resolve("backups/repo/snapshots"))) {
			snapshotFile = snapshots.findFirst().orElseThrow();
		}
		whole = Files.readAllBytes(snapshotFile);
	}

	@Test
	void aSnapshotFileThatIsWholeAMomentLaterIsReadOnTheNextAttempt() throws IOException {
		writeHalf();
		AtomicInteger attempts = new AtomicInteger();
		ProcessResult backup = BackupRepository.retryingPartialReads(() -> {
			if (attempts.incrementAndGet() == 2) {
				writeWhole();
			}
			return backUp();
		});
		assertThat(attempts).hasValue(2);
		assertThat(backup.exitCode()).as(backup.err()).isZero();
		assertThat(restic("snapshots", "--json").out()).contains(snapshotFile.getFileName().toString());
	}

	@Test
	void aSnapshotFileThatStaysDamagedIsReported() throws IOException {
		writeHalf();
		AtomicInteger attempts = new AtomicInteger();
		ProcessResult backup = BackupRepository.retryingPartialReads(() -> {
			attempts.incrementAndGet();
			return backUp();
		});
		assertThat(attempts).hasValue(4);
		assertThat(backup.exitCode()).isNotZero();
		assertThat(backup.err()).contains("invalid data returned");
	}

	private void writeHalf() throws IOException {
		Files.deleteIfExists(snapshotFile);
		Files.write(snapshotFile, Arrays.copyOf(whole, whole.length / 2));
	}

	private void writeWhole() {
		try {
			Files.write(snapshotFile, whole);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A backup looks for its parent among all snapshots, and so reads every snapshot file. */
	private ProcessResult backUp() {
		return restic("backup", root.resolve("files").toString());
	}

	private ProcessResult restic(String... args) {
		List<String> command = new java.util.ArrayList<>(List.of("restic", "--no-cache", "--password-file",
				root.resolve("backups/password").toString(), "-r", root.resolve("backups/repo").toString()));
		command.addAll(List.of(args));
		return ProcessResult.of(HelperProcess.command(command));
	}
}
