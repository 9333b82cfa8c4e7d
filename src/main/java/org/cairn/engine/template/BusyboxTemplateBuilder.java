// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;

/**
 * The {@code busybox} template: Debian's statically linked busybox (package busybox-static) with a link for
 * every applet, and busybox's init running the /etc/init.d scripts. A few MB.
 */
public final class BusyboxTemplateBuilder {

	public static final String NAME = "busybox";

	private static final Path BUSYBOX = Path.of("/bin/busybox");


	private final TemplateStore store;

	private final Consumer<String> progress;

	public BusyboxTemplateBuilder(TemplateStore store) {
		this(store, line -> {
		});
	}

	/** @param progress gets the builder's steps */
	public BusyboxTemplateBuilder(TemplateStore store, Consumer<String> progress) {
		this.store = store;
		this.progress = progress;
	}

	public Template build() {
		if (!Files.isExecutable(BUSYBOX) || !isStatic(BUSYBOX)) {
			throw new EngineException("The busybox template needs Debian's statically linked busybox at " + BUSYBOX
					+ ": apt-get install busybox-static");
		}
		Path staged = null;
		try {
			staged = store.staging(NAME);
			Path rootfs = staged.resolve("rootfs");
			for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc/init.d", "root", "tmp", "proc", "sys",
					"dev", "run", "var/log", "var/tmp", "home", "mnt")) {
				Files.createDirectories(rootfs.resolve(dir));
			}
			Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
			Files.setPosixFilePermissions(rootfs.resolve("var/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
			Files.setPosixFilePermissions(rootfs.resolve("root"), PosixFilePermissions.fromString("rwx------"));
			progress.accept("copying " + BUSYBOX + " (BusyBox " + busyboxVersion() + ")");
			Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
			progress.accept("linking its applets");
			for (String applet : applets()) {
				Path link = rootfs.resolve(applet.replaceFirst("^/", ""));
				if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
					Files.createDirectories(link.getParent());
					Files.createSymbolicLink(link, Path.of("/bin/busybox"));
				}
			}
			Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("/run"));
			progress.accept("writing inittab, start scripts, passwd, group, shadow, profile");
			write(rootfs, "etc/inittab", """
					# busybox init: run the start scripts, stay up; `reboot` and `poweroff` end the VE
					::sysinit:/etc/init.d/rcS
					::shutdown:/etc/init.d/rcK
					""", "rw-r--r--");
			write(rootfs, "etc/init.d/rcS", """
					#!/bin/sh
					# Starts every /etc/init.d/S* script in order, as a SysV init would.
					for script in /etc/init.d/S*; do
					    [ -x "$script" ] && "$script" start
					done
					exit 0
					""", "rwxr-xr-x");
			write(rootfs, "etc/init.d/rcK", """
					#!/bin/sh
					# Stops the /etc/init.d/S* scripts in reverse order.
					for script in $(ls -r /etc/init.d/S* 2>/dev/null); do
					    [ -x "$script" ] && "$script" stop
					done
					exit 0
					""", "rwxr-xr-x");
			write(rootfs, "etc/passwd", """
					root:x:0:0:root:/root:/bin/sh
					daemon:x:1:1:daemon:/usr/sbin:/bin/false
					nobody:x:65534:65534:nobody:/nonexistent:/bin/false
					""", "rw-r--r--");
			write(rootfs, "etc/group", """
					root:x:0:
					daemon:x:1:
					tty:x:5:
					nogroup:x:65534:
					""", "rw-r--r--");
			write(rootfs, "etc/shadow", """
					root:*:19000:0:99999:7:::
					daemon:*:19000:0:99999:7:::
					nobody:*:19000:0:99999:7:::
					""", "rw-------");
			write(rootfs, "etc/profile", """
					export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
					PS1='\\u@\\h:\\w\\$ '
					""", "rw-r--r--");
			write(rootfs, "etc/hostname", "localhost\n", "rw-r--r--");
			write(rootfs, "etc/hosts", "127.0.0.1 localhost\n::1 localhost\n", "rw-r--r--");
			progress.accept("publishing the template");
			return store.publish(NAME, staged, new Template(NAME, rootfs, List.of("/sbin/init"), InitSystem.BUSYBOX,
					"BusyBox " + busyboxVersion() + " (static), busybox init"));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot build the busybox template: " + ex.getMessage(), ex);
		}
		finally {
			if (staged != null && Files.exists(staged)) {
				org.cairn.engine.Trees.delete(staged);
			}
		}
	}

	private static void write(Path rootfs, String file, String content, String mode) throws IOException {
		Path path = rootfs.resolve(file);
		Files.writeString(path, content);
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
	}

	private static List<String> applets() {
		return run(BUSYBOX.toString(), "--list-full").lines().filter(l -> !l.isBlank()).toList();
	}

	private static String busyboxVersion() {
		String banner = run(BUSYBOX.toString()).lines().findFirst().orElse("");
		return banner.replaceFirst("^BusyBox v?(\\S+).*$", "$1");
	}

	private static String run(String... command) {
		return HelperProcess.run(HelperProcess.command(command).redirectErrorStream(true), Duration.ofSeconds(30)).out();
	}

	/** An ELF executable without a PT_INTERP program header needs no dynamic loader. */
	static boolean isStatic(Path elf) {
		try (RandomAccessFile file = new RandomAccessFile(elf.toFile(), "r")) {
			byte[] header = new byte[64];
			file.readFully(header);
			if (header[0] != 0x7f || header[1] != 'E' || header[4] != 2) {
				return false;
			}
			var buffer = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			long phoff = buffer.getLong(0x20);
			int phentsize = Short.toUnsignedInt(buffer.getShort(0x36));
			int phnum = Short.toUnsignedInt(buffer.getShort(0x38));
			byte[] entry = new byte[4];
			for (int i = 0; i < phnum; i++) {
				file.seek(phoff + (long) i * phentsize);
				file.readFully(entry);
				if (java.nio.ByteBuffer.wrap(entry).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() == 3) {
					return false;
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}
}
