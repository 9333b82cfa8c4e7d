// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.cairn.engine.EngineException;
import org.cairn.engine.HelperProcess;

/**
 * The native launcher, {@code cairn-launcher}, shipped inside the jar and copied to the engine's root
 * (a file can only be executed from a file system). Java asks it to start a VE or to run a command in one.
 */
public final class Launcher {

	private static final String RESOURCE = "cairn-launcher";

	/** A start mounts, maps ids and runs the network script; a VE that holds it up longer is not started. */
	private static final Duration START_DEADLINE = Duration.ofSeconds(60);

	/** A checkpoint or restore writes or reads the VE's memory: a VE of several GB takes a while. */
	private static final Duration RESTORE_DEADLINE = Duration.ofMinutes(10);

	private final Path binary;

	private Launcher(Path binary) {
		this.binary = binary;
	}

	/**
	 * Installs the launcher under {@code root/lib} when it is missing or differs from the one in the jar. The copy
	 * is named by the digest the build wrote beside the binary, so a call that finds it reads nothing more.
	 */
	public static Launcher install(Path root) {
		Path lib = root.resolve("lib");
		Path binary = lib.resolve("cairn-launcher-" + new String(resource(RESOURCE + ".id", 32), java.nio.charset.StandardCharsets.US_ASCII).strip());
		try {
			if (!Files.exists(binary)) {
				Files.createDirectories(lib);
				Path tmp = Files.createTempFile(lib, "launcher", ".tmp");
				Files.write(tmp, resource(RESOURCE, Integer.MAX_VALUE));
				Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
				Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE);
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot install the native launcher in " + lib + ": " + ex.getMessage(), ex);
		}
		return new Launcher(binary);
	}

	private static byte[] resource(String name, int most) {
		try (InputStream in = Launcher.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new EngineException("The native launcher is missing from this build: build with 'mvn package' "
						+ "on a machine with gcc and libseccomp-dev");
			}
			return in.readNBytes(most);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the native launcher: " + ex.getMessage(), ex);
		}
	}

	public Path binary() {
		return binary;
	}

	/**
	 * Starts a VE; the launcher leaves a supervisor behind and returns the host pid of the VE's init.
	 */
	public long start(StartRequest request) {
		return supervise(command("start", request, List.of()), START_DEADLINE);
	}

	/**
	 * Restores a VE from its checkpoint in {@code images} (made by {@link #checkpoint}) as a start starts it, its
	 * supervisor left behind; returns the host pid of its init. {@code cgroups} maps each hierarchy's controller
	 * ("" for cgroup2) to the VE's cgroup there, which exists with its limits. A reboot inside boots the request's
	 * init.
	 */
	public long restore(StartRequest request, Path images, Map<String, String> cgroups) {
		List<String> more = new ArrayList<>(List.of("--images", images.toString()));
		cgroups.forEach((controller, path) -> more.addAll(List.of("--cgroup-root", controller + ":" + path)));
		return supervise(command("restore", request, more), RESTORE_DEADLINE);
	}

	/**
	 * Checkpoints the VE whose init is {@code initPid} into {@code images} with CRIU, frozen through
	 * {@code freezer} (its freezer cgroup), with every cgroup below its own of each hierarchy ({@code cgroups}, as
	 * for {@link #restore}); the VE ends once it is saved. A VE CRIU cannot save (a resource it does not support)
	 * runs on, and the exception says what CRIU found.
	 */
	public void checkpoint(long initPid, Path images, Path freezer, Map<String, String> cgroups) {
		List<String> command = new ArrayList<>(List.of(binary.toString(), "checkpoint", "--pid", Long.toString(initPid),
				"--images", images.toString(), "--freeze-cgroup", freezer.toString()));
		cgroups.forEach((controller, path) -> command.addAll(List.of("--cgroup-root", controller + ":" + path)));
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(command)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), RESTORE_DEADLINE);
		if (result.exitCode() != 0) {
			throw failure(result);
		}
	}

	private List<String> command(String verb, StartRequest request, List<String> more) {
		List<String> command = new ArrayList<>(List.of(binary.toString(), verb, "--lower",
				request.lower().toString(), "--upper", request.upper().toString(), "--work", request.work().toString(),
				"--merged", request.merged().toString(), "--idmapped", request.idmapped().toString(), "--hostname",
				request.hostname(), "--uid-base", Long.toString(request.uidBase()), "--uid-count",
				Long.toString(request.uidCount()), "--console", request.console().toString(), "--state-dir",
				request.stateDir().toString(), "--console-size", Long.toString(request.consoleBytes())));
		for (Path procs : request.cgroupProcs()) {
			command.add("--cgroup-procs");
			command.add(procs.toString());
		}
		if (request.diskImage() != null && request.diskDir() != null) {
			command.addAll(List.of("--disk-image", request.diskImage().toString(), "--disk-dir", request.diskDir().toString()));
		}
		if (request.lxcfs() != null) {
			command.addAll(List.of("--lxcfs", request.lxcfs().toString()));
		}
		if (request.networkHook() != null) {
			command.addAll(List.of("--network-hook", request.networkHook().toString()));
		}
		if (request.runTmpfs()) {
			command.add("--run-tmpfs");
		}
		if (request.cgroup2()) {
			command.add("--cgroup2");
		}
		if (request.nesting()) {
			command.add("--nesting");
		}
		if (request.hold()) {
			command.add("--hold");
		}
		command.addAll(more);
		command.add("--");
		command.addAll(request.init());
		return command;
	}

	private static EngineException failure(HelperProcess.Output result) {
		return new EngineException(result.err().isBlank() ? "The launcher failed with exit code " + result.exitCode()
				: result.err().strip().replaceFirst("^cairn-launcher: ", ""));
	}

	private static long supervise(List<String> command, Duration deadline) {
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(command)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), deadline);
		if (result.exitCode() != 0) {
			throw failure(result);
		}
		try {
			return Long.parseLong(result.out().strip());
		}
		catch (NumberFormatException ex) {
			throw new EngineException("The launcher reported no pid");
		}
	}

	/**
	 * Sets the live host name of a running VE from the node's side, within a deadline: no program of the VE's
	 * runs on the node's behalf.
	 */
	public void setHostname(long initPid, String hostname) {
		HelperProcess.Output result = HelperProcess.run(
				HelperProcess.command(binary.toString(), "sethostname", "--pid", Long.toString(initPid), hostname),
				Duration.ofSeconds(10));
		if (result.exitCode() != 0) {
			throw new EngineException(result.text().replaceFirst("^cairn-launcher: ", ""));
		}
	}

	/**
	 * A process builder for a host program (an absolute path) run as the VE's root over the VE's files only:
	 * its user and mount namespaces, not its pid or network ones. See the launcher's {@code files}.
	 */
	public ProcessBuilder files(long initPid, List<String> command) {
		return files(initPid, false, command);
	}

	/** As {@link #files(long, List)}; with {@code inVe} a static program gets the VE's own root as its root. */
	public ProcessBuilder files(long initPid, boolean inVe, List<String> command) {
		return files(initPid, inVe, command, List.of());
	}

	/** As above, the program joining {@code cgroupProcs} first (the VE's helpers' cgroup: its CPU and I/O limits). */
	public ProcessBuilder files(long initPid, boolean inVe, List<String> command, List<Path> cgroupProcs) {
		return files(initPid, inVe, command, cgroupProcs, java.util.Map.of());
	}

	/**
	 * As above, with node folders in the view: each as {@code /NAME}, writable, cloned by the node's root before
	 * the launcher becomes the VE's (a VE's writable layer, its snapshot store).
	 */
	public ProcessBuilder files(long initPid, List<String> command, List<Path> cgroupProcs, java.util.Map<String, Path> trees) {
		return files(initPid, false, command, cgroupProcs, trees);
	}

	private ProcessBuilder files(long initPid, boolean inVe, List<String> command, List<Path> cgroupProcs,
			java.util.Map<String, Path> trees) {
		List<String> full = new ArrayList<>(List.of(binary.toString(), "files", "--pid", Long.toString(initPid)));
		if (inVe) {
			full.add("--in-ve");
		}
		for (Path procs : cgroupProcs) {
			full.add("--cgroup-procs");
			full.add(procs.toString());
		}
		for (var tree : new java.util.TreeMap<>(trees).entrySet()) {
			full.add("--tree");
			full.add(tree.getKey() + "=" + tree.getValue());
		}
		full.add("--");
		full.addAll(command);
		return HelperProcess.command(full);
	}

	/** A process builder that runs the command inside the VE whose init is {@code initPid}, as its root. */
	public ProcessBuilder exec(long initPid, List<Path> cgroupProcs, List<String> command, boolean tty) {
		return exec(initPid, cgroupProcs, command, tty, null);
	}

	/**
	 * As {@link #exec(long, List, List, boolean)} with a terminal whose size is "ROWS COLS" in {@code sizeFile},
	 * read again when the launcher gets SIGWINCH: for callers that are no terminal themselves.
	 */
	public ProcessBuilder exec(long initPid, List<Path> cgroupProcs, List<String> command, boolean tty,
			Path sizeFile) {
		return exec(initPid, cgroupProcs, command, tty, sizeFile, Map.of());
	}

	/**
	 * As above, with {@code env} added to the command's environment in the VE, which is otherwise the VE's fixed
	 * one (PATH, HOME, TERM, container): the launcher passes nothing of its own environment into the VE.
	 */
	public ProcessBuilder exec(long initPid, List<Path> cgroupProcs, List<String> command, boolean tty,
			Path sizeFile, Map<String, String> env) {
		return exec(initPid, cgroupProcs, command, tty, sizeFile, env, false);
	}

	/** As above; {@code nesting} as the VE was started with (its seccomp filter lets it make namespaces). */
	public ProcessBuilder exec(long initPid, List<Path> cgroupProcs, List<String> command, boolean tty,
			Path sizeFile, Map<String, String> env, boolean nesting) {
		List<String> full = new ArrayList<>(List.of(binary.toString(), "exec", "--pid", Long.toString(initPid)));
		if (nesting) {
			full.add("--nesting");
		}
		if (tty) {
			full.add("--tty");
		}
		if (sizeFile != null) {
			full.add("--size-file");
			full.add(sizeFile.toString());
		}
		for (Path procs : cgroupProcs) {
			full.add("--cgroup-procs");
			full.add(procs.toString());
		}
		env.forEach((key, value) -> {
			full.add("--env");
			full.add(key + "=" + value);
		});
		full.add("--");
		full.addAll(command);
		return HelperProcess.command(full);
	}

	/** Allows the VE whose cgroup v2 directory is {@code cgroup} the devices of {@code rules}, and no other. */
	public void limitDevices(Path cgroup, List<String> rules) {
		List<String> command = new ArrayList<>(List.of(binary.toString(), "devices", "--cgroup", cgroup.toString(), "--"));
		command.addAll(rules);
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(command), Duration.ofSeconds(10));
		if (result.exitCode() != 0) {
			throw new EngineException("Cannot limit the VE's devices: " + result.text().replaceFirst("^cairn-launcher: ", ""));
		}
	}

	/** Grows a running VE's disk to its image's new size: the loop device, then ext4, online. */
	public void growDisk(String loopDevice, Path fsRoot) {
		HelperProcess.Output result = HelperProcess.run(HelperProcess.command(binary.toString(), "grow-disk", "--loop",
				loopDevice, "--disk-dir", fsRoot.toString()), Duration.ofMinutes(2));
		if (result.exitCode() != 0) {
			throw new EngineException("disk: growing it failed: " + result.text().replaceFirst("^cairn-launcher: ", ""));
		}
	}
}
