// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.cairn.engine.EngineException;
import org.cairn.engine.Trees;

/**
 * Debian templates by debootstrap (minbase plus OpenSSH, iproute2 and procps), adapted to run as a VE: no
 * shared SSH host keys or machine id (each VE makes its own at first boot), no package cache, and no part
 * that cannot work in a VE. {@code debian-12} and {@code debian-13} boot the distribution's own systemd, with
 * cron and journald; {@code debian-12-sysvinit} boots the classic SysV init for the smallest VEs.
 */
public final class DebianTemplateBuilder {

	/**
	 * A template this builder makes.
	 * @param version the release's number, as in its description
	 */
	public record Release(String name, String suite, String version, InitSystem initSystem) {
	}

	public static final List<Release> RELEASES = List.of(new Release("debian-12", "bookworm", "12", InitSystem.SYSTEMD),
			new Release("debian-13", "trixie", "13", InitSystem.SYSTEMD),
			new Release("debian-12-sysvinit", "bookworm", "12", InitSystem.SYSVINIT));

	private static final String COMMON_PACKAGES = "openssh-server,iproute2,procps";

	/**
	 * systemd units a VE has no use for, masked so that they neither run nor fail, each for a reason a customer
	 * can read in the template's description.
	 */
	static final List<String> MASKED_SYSTEMD_UNITS = List.of(
			// asks for a locale, a time zone and a root password on the console at first boot: Cairn sets them
			"systemd-firstboot.service",
			// the node's kernel, its hardware and its file systems are the node's: nothing of them is the VE's
			"systemd-pstore.service", "e2scrub_reap.service", "e2scrub_all.timer", "fstrim.timer",
			// no terminals but the console, which has a getty of its own
			"getty@tty1.service");

	private final TemplateStore store;

	private final String mirror;

	private final Release release;

	private final Consumer<String> progress;

	/** @param progress gets each line debootstrap prints, and the builder's own steps */
	public DebianTemplateBuilder(TemplateStore store, String mirror, Release release, Consumer<String> progress) {
		this.store = store;
		this.mirror = mirror;
		this.release = release;
		this.progress = progress;
	}

	public static Optional<Release> release(String name) {
		return RELEASES.stream().filter(r -> r.name().equals(name)).findFirst();
	}

	public Template build() {
		if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
			throw new EngineException("The " + release.name() + " template needs debootstrap: apt-get install debootstrap");
		}
		boolean systemd = release.initSystem() == InitSystem.SYSTEMD;
		String packages = COMMON_PACKAGES + (systemd ? ",systemd,systemd-sysv,dbus,cron" : ",sysvinit-core,ifupdown");
		Path staged = null;
		try {
			staged = store.staging(release.name());
			Path rootfs = staged.resolve("rootfs");
			progress.accept("debootstrap " + release.suite() + " from " + mirror);
			run(List.of("/usr/sbin/debootstrap", "--variant=minbase", "--include=" + packages, release.suite(),
					rootfs.toString(), mirror), 30, progress);
			progress.accept("adapting the system to a VE: SSH host keys at first boot, no caches, "
					+ (systemd ? "units a VE has no use for masked" : "inittab"));
			adaptCommon(rootfs);
			String description;
			if (systemd) {
				adaptSystemd(rootfs);
				description = "Debian " + release.version() + " (" + release.suite() + ") minbase, systemd, OpenSSH, cron"
						+ "; masked: systemd-firstboot (it would ask on the console at first boot), systemd-pstore,"
						+ " e2scrub, fstrim (the node's hardware and file systems), getty@tty1 (the console has its own);"
						+ " ProtectHostname off (CRIU cannot checkpoint a service's own UTS namespace)";
			}
			else {
				adaptSysvinit(rootfs);
				description = "Debian " + release.version() + " (" + release.suite() + ") minbase, sysvinit, OpenSSH";
			}
			return store.publish(release.name(), staged,
					new Template(release.name(), rootfs, List.of("/sbin/init"), release.initSystem(), description));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot build the " + release.name() + " template: " + ex.getMessage(), ex);
		}
		finally {
			if (staged != null && Files.exists(staged)) {
				Trees.delete(staged);
			}
		}
	}

	private void adaptCommon(Path rootfs) throws IOException {
		// every VE makes its own SSH host keys at its first boot
		try (Stream<Path> keys = Files.list(rootfs.resolve("etc/ssh"))) {
			for (Path key : keys.filter(p -> p.getFileName().toString().startsWith("ssh_host_")).toList()) {
				Files.delete(key);
			}
		}
		Files.writeString(rootfs.resolve("etc/fstab"), "# the VE's file systems are set up by Cairn\n");
		Files.deleteIfExists(rootfs.resolve("etc/hostname"));
		// debootstrap lists the release alone; its point releases' fixes come from -updates
		Files.writeString(rootfs.resolve("etc/apt/sources.list"), "deb " + mirror + " " + release.suite() + " main\n"
				+ "deb " + mirror + " " + release.suite() + "-updates main\n");
		for (String cache : List.of("var/cache/apt/archives", "var/lib/apt/lists")) {
			try (Stream<Path> files = Files.list(rootfs.resolve(cache))) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.delete(file);
				}
			}
		}
	}

	private static void adaptSystemd(Path rootfs) throws IOException {
		// empty: each VE's systemd makes its own machine id at its first boot and keeps it
		Files.writeString(rootfs.resolve("etc/machine-id"), "");
		Path dbusId = rootfs.resolve("var/lib/dbus/machine-id");
		if (Files.isRegularFile(dbusId, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
			Files.delete(dbusId);
			Files.createSymbolicLink(dbusId, Path.of("/etc/machine-id"));
		}
		Path units = rootfs.resolve("etc/systemd/system");
		Files.writeString(units.resolve("cairn-ssh-keys.service"), """
				[Unit]
				Description=This VE's own SSH host keys, made at its first boot
				Before=ssh.service ssh.socket
				ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

				[Service]
				Type=oneshot
				ExecStart=/usr/bin/ssh-keygen -A

				[Install]
				WantedBy=multi-user.target
				""");
		Path wants = Files.createDirectories(units.resolve("multi-user.target.wants"));
		Files.createSymbolicLink(wants.resolve("cairn-ssh-keys.service"),
				Path.of("/etc/systemd/system/cairn-ssh-keys.service"));
		// CRIU saves no UTS namespace of a service's own, which ProtectHostname gives it (systemd-logind's, say):
		// without it the VE can be checkpointed and moved live; the host name it protects is the VE's own
		Path everyService = Files.createDirectories(units.resolve("service.d"));
		Files.writeString(everyService.resolve("cairn-checkpoints.conf"), """
				# Cairn: CRIU cannot checkpoint a service in a UTS namespace of its own (ProtectHostname=yes)
				[Service]
				ProtectHostname=no
				""");
		for (String unit : MASKED_SYSTEMD_UNITS) {
			Path mask = units.resolve(unit);
			Files.deleteIfExists(mask);
			Files.createSymbolicLink(mask, Path.of("/dev/null"));
		}
	}

	private static void adaptSysvinit(Path rootfs) throws IOException {
		Path inittab = rootfs.resolve("etc/inittab");
		List<String> lines = Files.readAllLines(inittab)
			.stream()
			// no terminals to watch in a VE; the console is a log
			.filter(line -> !line.matches("^[0-9]+:[0-9]*:respawn:/sbin/getty.*") && !line.contains("sulogin"))
			.map(line -> line.startsWith("pf::powerwait:") ? "pf::powerwait:/sbin/shutdown -h -P now" : line)
			.toList();
		Files.write(inittab, lines);
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
	}

	/** Runs a command, its output line by line to {@code output}; its last lines are in the error if it fails. */
	private static void run(List<String> command, int minutes, Consumer<String> output) {
		String program = Path.of(command.get(0)).getFileName().toString();
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
				throw new EngineException(program + " did not finish within " + minutes + " minutes");
			}
			reader.join(Duration.ofSeconds(5));
			if (process.exitValue() != 0) {
				synchronized (tail) {
					throw new EngineException(program + " failed: " + String.join("\n", tail));
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot run " + program + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted while building a Debian template");
		}
	}
}
