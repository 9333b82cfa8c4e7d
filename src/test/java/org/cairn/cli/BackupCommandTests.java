// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.List;

import org.cairn.engine.TestEngine;
import org.cairn.engine.VeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cairn backup}: create, list, ls, restore, schedule, forget and check, and their bad input. */
class BackupCommandTests {

	private TestEngine test;


	@BeforeEach
	void open() throws Exception {
		test = TestEngine.create("auto");
	}

	@AfterEach
	void close() {
		test.close();
	}

	private CliRun cairn(String... args) {
		return CliRun.of(test, List.of(), args);
	}

	@Test
	void aCustomersDeletedFolderComesBackFromTheCommandLine() {
		test.engine.create(new VeSpec("site", "busybox", null));
		test.engine.start("site");
		test.sh("site", "mkdir -p /var/www && echo '<h1>shop</h1>' > /var/www/index.html");

		CliRun created = cairn("backup", "create", "site", "--tag", "nightly");
		assertThat(created.exitCode()).as(created.err()).isZero();
		String id = created.out().strip().split("\\s+")[0];
		assertThat(cairn("backup", "list", "site").out()).contains(id).contains("nightly");
		assertThat(cairn("backup", "list", "site", "--json").out()).startsWith("[{\"id\":\"" + id);
		assertThat(cairn("backup", "ls", "site", id, "/var/www").out()).contains("-rw-r--r--").contains("index.html");
		assertThat(cairn("backup", "ls", "site", id, "/var", "--json").out()).contains("\"name\":\"www\",\"type\":\"dir\"");

		test.sh("site", "rm -r /var/www");
		CliRun restored = cairn("backup", "restore", "site", id, "--path", "/var/www");
		assertThat(restored.exitCode()).as(restored.err()).isZero();
		assertThat(test.sh("site", "cat /var/www/index.html").output()).isEqualTo("<h1>shop</h1>\n");
		assertThat(cairn("backup", "restore", "site", id, "--path", "/var/www", "--to", "/root/copy").out())
			.contains("/root/copy/www");

		CliRun dots = cairn("backup", "restore", "site", id, "--path", "/var/../etc");
		assertThat(dots.exitCode()).isEqualTo(1);
		assertThat(dots.err()).contains("path: '/var/../etc' may not hold '..'");
		assertThat(cairn("backup", "restore", "site", "deadbeef", "--path", "/var/www").err())
			.contains("snapshot: deadbeef is not a backup of site");
		assertThat(cairn("backup", "restore", "site", id).err()).as("--path or --whole").contains("Missing required");

		assertThat(cairn("backup", "schedule", "site", "--at", "25:00").err()).contains("at: '25:00' is not a time of day");
		assertThat(cairn("backup", "schedule", "site", "--at", "03:30").out()).contains("site  03:30");
		assertThat(cairn("backup", "forget", "site").err()).contains("keep-last:");
		assertThat(cairn("backup", "forget", "site", "--keep-last", "1").exitCode()).isZero();
		assertThat(cairn("backup", "check").out()).contains("no errors were found");
	}
}
