// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cairn.engine.EngineException;
import org.cairn.engine.Trees;

/**
 * The {@code debian-12} template: Debian bookworm by debootstrap (minbase, plus OpenSSH, iproute2, procps and
 * the classic SysV init, which runs unchanged in a user namespace), adapted to run as a VE: no gettys, a
 * clean power-off on SIGPWR, no shared SSH host keys (each VE makes its own at first boot), no package cache.
 */
public final class DebianTemplateBuilder {

	public static final String NAME = "debian-12";

	/** sysvinit runs its powerwait entry on SIGPWR; the template points it at a power-off. */
	private static final int SIGPWR = 30;

	private static final String PACKAGES = "openssh-server,iproute2,procps,sysvinit-core,ifupdown";

	private final TemplateStore store;

	private final String mirror;

	private final Consumer<String> progress;

	/** @param progress gets each line debootstrap prints, and the builder's own steps */
	public DebianTemplateBuilder(TemplateStore store, String mirror, Consumer<String> progress) {
		this.store = store;
		this.mirror = mirror;
		this.progress = progress;
	}

	public Template build() {
		if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
			throw new EngineException("The debian-12 template needs debootstrap: apt-get install debootstrap");
		}
		Path staged = null;
		try {
			staged = store.staging(NAME);
			Path rootfs = staged.resolve("rootfs");
			progress.accept("debootstrap bookworm from " + mirror);
			run(List.of("/usr/sbin/debootstrap", "--variant=minbase", "--include=" + PACKAGES, "bookworm",
					rootfs.toString(), mirror), 30, progress);
			progress.accept("adapting the system to a VE: inittab, SSH host keys at first boot, no caches");
			adapt(rootfs);
			return store.publish(NAME, staged, new Template(NAME, rootfs, List.of("/sbin/init"), SIGPWR,
					"Debian 12 (bookworm) minbase, sysvinit, OpenSSH"));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot build the debian-12 template: " + ex.getMessage(), ex);
		}
		finally {
			if (staged != null && Files.exists(staged)) {
				Trees.delete(staged);
			}
		}
	}

	private static void adapt(Path rootfs) throws IOException {
		Path inittab = rootfs.resolve("etc/inittab");
		List<String> lines = Files.readAllLines(inittab)
			.stream()
			// no terminals to watch in a VE; the console is a log
			.filter(line -> !line.matches("^[0-9]+:[0-9]*:respawn:/sbin/getty.*") && !line.contains("sulogin"))
			.map(line -> line.startsWith("pf::powerwait:") ? "pf::powerwait:/sbin/shutdown -h -P now" : line)
			.toList();
		Files.write(inittab, lines);
		// every VE makes its own SSH host keys at its first boot
		try (Stream<Path> keys = Files.list(rootfs.resolve("etc/ssh"))) {
			for (Path key : keys.filter(p -> p.getFileName().toString().startsWith("ssh_host_")).toList()) {
				Files.delete(key);
			}
		}
		Path keygen = rootfs.resolve("etc/init.d/cairn-ssh-keys");
		Files.writeString(keygen, """
				#!/bin/sh
				### BEGIN INIT INFO
				# Provides:          cairn-ssh-keys
				# Required-Start:
				# Required-Stop:
				# Default-Start:     2 3 4 5
				# Default-Stop:
				# X-Start-Before:    ssh
				# Short-Description: Makes this VE's own SSH host keys at its first boot
				### END INIT INFO
				[ "$1" = start ] || exit 0
				ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A
				""");
		Files.setPosixFilePermissions(keygen, PosixFilePermissions.fromString("rwxr-xr-x"));
		// registered as Debian does, so that the boot order puts it before ssh
		run(List.of("/usr/sbin/chroot", rootfs.toString(), "/usr/sbin/update-rc.d", "cairn-ssh-keys", "defaults"), 2,
				line -> {
				});
		Files.writeString(rootfs.resolve("etc/fstab"), "# the VE's file systems are set up by Cairn\n");
		Files.deleteIfExists(rootfs.resolve("etc/hostname"));
		for (String cache : List.of("var/cache/apt/archives", "var/lib/apt/lists")) {
			try (Stream<Path> files = Files.list(rootfs.resolve(cache))) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.delete(file);
				}
			}
		}
	}

	/** Runs a command, its output line by line to {@code output}; its last lines are in the error if it fails. */
	private static void run(List<String> command, int minutes, Consumer<String> output) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			java.util.Deque<String> tail = new java.util.ArrayDeque<>();
			Thread reader = Thread.ofVirtual().start(() -> {
				try (var lines = new java.io.BufferedReader(
						new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = lines.readLine(); line != null; line = lines.readLine()) {
						output.accept(line);
						synchronized (tail) {
							tail.addLast(line);
							if (tail.size() > 10) {
								tail.removeFirst();
							}
						}
					}
				}
				catch (IOException ignored) {
					// the process ended
				}
			});
			if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new EngineException(command.get(0) + " did not finish within " + minutes + " minutes");
			}
			reader.join(Duration.ofSeconds(5));
			if (process.exitValue() != 0) {
				synchronized (tail) {
					throw new EngineException("debootstrap failed: " + String.join("\n", tail));
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot run debootstrap: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted while building debian-12");
		}
	}
}
