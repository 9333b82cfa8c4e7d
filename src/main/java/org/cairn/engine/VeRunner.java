// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.cairn.engine.cgroup.CgroupDriver;
import org.cairn.engine.launcher.Launcher;
import org.cairn.engine.launcher.StartRequest;
import org.cairn.engine.network.NodeSetup;
import org.cairn.engine.network.RoutedNetwork;
import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.InitSystem;
import org.cairn.engine.template.Template;
import org.cairn.engine.template.TemplateStore;

/**
 * A VE's runs on the kernel: its start through the launcher into its cgroups, its stop (init's signal, then a
 * kill) and what a run leaves behind, the held instance that opens a stopped VE's files, the freezer, and its
 * live state read from the kernel. Callers hold the VE's lock.
 */
final class VeRunner {

	/** In a running VE's state folder: it was started with nesting. */
	static final String NESTING = "nesting";

	private final EngineSettings settings;

	private final CgroupDriver cgroups;

	private final Launcher launcher;

	private final TemplateStore templates;

	private final RoutedNetwork network;

	private final NodeSetup nodeSetup;

	private final VeLinks links;

	private final VeFirewalls firewalls;

	VeRunner(EngineSettings settings, CgroupDriver cgroups, Launcher launcher, TemplateStore templates,
			RoutedNetwork network, NodeSetup nodeSetup, VeLinks links, VeFirewalls firewalls) {
		this.firewalls = firewalls;
		this.settings = settings;
		this.cgroups = cgroups;
		this.launcher = launcher;
		this.templates = templates;
		this.network = network;
		this.nodeSetup = nodeSetup;
		this.links = links;
	}

	/** Running, suspended, or its start under way (what a start loads is then already, or not yet, in place). */
	boolean runningOrStarting(VeDirectory ve) {
		return state(ve) != VeState.STOPPED || ve.currentOperation().filter("start"::equals).isPresent();
	}

	/** Running, suspended or stopped, from the kernel: the supervisor's and init's processes and the freezer. */
	VeState state(VeDirectory ve) {
		return state(ve, ve.livePid("init.pid"));
	}

	/** The VE's state, its init's pid already read. */
	VeState state(VeDirectory ve, java.util.OptionalLong init) {
		String name = ve.name();
		if (init.isEmpty() && ve.livePid("supervisor.pid").isEmpty()) {
			return VeState.STOPPED;
		}
		return cgroups.exists(name) && cgroups.isFrozen(name) ? VeState.SUSPENDED : VeState.RUNNING;
	}

	/** Starts a stopped VE, from its checkpoint when it has one (the caller holds its lock). */
	void start(VeDirectory ve) {
		String name = ve.name();
		VeState state = state(ve);
		if (state != VeState.STOPPED) {
			throw new EngineException(name + " is " + state.label() + ", not stopped");
		}
		if (Files.exists(ve.pendingShift())) {
			throw new EngineException(name + " has just arrived from another node and its files are still being given"
					+ " this node's ids; the move finishes that, then starts it");
		}
		if (Files.exists(ve.leaving())) {
			throw new EngineException(name + " is moving to another node and starts there; it starts here again only"
					+ " if the move is called off");
		}
		releaseHold(ve);
		VeDirectory.Record record = ve.read();
		Template template = templates.get(record.template());
		ve.beginOperation("start");
		ve.clearState();
		FutureTask<Void> firewall = null;
		try {
			VeDirectory.deleteQuietly(ve.state().resolve("failure"));
			NodeLimits.raise();
			cgroups.create(name);
			if (cgroups.version().equals("v2")) {
				launcher.limitDevices(cgroups.procsFiles(name).get(0).getParent(), CgroupDriver.ALLOWED_DEVICES);
			}
			cgroups.apply(name, record.limits());
			boolean cgroup2 = cgroups.delegate(name, record.uidBase());
			if (!cgroup2 && template.initSystem() == InitSystem.SYSTEMD) {
				throw new EngineException("template: " + template.name() + " boots systemd, which needs a cgroup2"
						+ " hierarchy beside the v1 ones: mount -t cgroup2 none /sys/fs/cgroup/unified");
			}
			boolean ownDisk = Files.exists(ve.diskImage());
			boolean restoring = VeCheckpoint.exists(ve);
			links.writeScript(ve, record);
			if (record.network().isConnected()) {
				// its firewall before its link exists (its network script waits for it): no moment in which the
				// VE is reachable past it; at a restore, loaded while CRIU reads the VE's images
				firewall = new FutureTask<>(() -> loadFirewall(ve), null);
				if (restoring) {
					Thread.ofVirtual().start(firewall);
				}
				else {
					firewall.run();
					finish(firewall);
				}
			}
			StartRequest request = new StartRequest(template.rootfs(), ve.upper(), ve.work(), ve.merged(), ve.idmapped(),
					VeSpec.liveHostname(record.hostname()), record.uidBase(), EngineSettings.IDS_PER_VE, ve.console(),
					VeDirectory.CONSOLE_BYTES, ve.state(),
					cgroups.procsFiles(name), template.init(), ownDisk ? ve.diskImage() : null,
					ownDisk ? ve.disk() : null, lxcfs(), ve.networkScript(),
					template.initSystem() == InitSystem.SYSTEMD, cgroup2, record.nesting(), false);
			if (restoring) {
				restore(ve, request, firewall);
			}
			else {
				launcher.start(request);
			}
			applyIo(ve, name, record.limits());
			if (record.nesting()) {
				Files.writeString(ve.state().resolve(NESTING), "the VE runs with nesting\n");
			}
		}
		catch (IOException ex) {
			settle(firewall);
			cleanUpAfterStop(ve);
			throw new EngineException("Cannot record the start of " + name + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			settle(firewall);
			cleanUpAfterStop(ve);
			throw ex;
		}
		finally {
			ve.endOperation();
		}
	}

	/** Waits for a step run beside a failed start, so that the clean-up after it comes last. */
	private static void settle(FutureTask<Void> step) {
		if (step == null) {
			return;
		}
		try {
			finish(step);
		}
		catch (RuntimeException ex) {
			// the start's own failure is the one to report
		}
	}

	/**
	 * Its processes back from its checkpoint, which is then gone: the VE runs on from it once, never twice. A
	 * checkpoint CRIU cannot restore is kept, and the error says how to boot the VE afresh instead.
	 */
	private void restore(VeDirectory ve, StartRequest request, FutureTask<Void> firewall) {
		try {
			launcher.restore(request, ve.checkpoint(), cgroups.paths(ve.name()));
		}
		catch (EngineException ex) {
			if (firewall != null) {
				finish(firewall); // its failure, if it failed, is the cause
			}
			throw new EngineException(ex.getMessage() + ". Its checkpoint is kept; `cairn ve checkpoint --discard "
					+ ve.name() + "` lets it boot afresh", ex);
		}
		if (firewall != null) {
			finish(firewall);
		}
		Trees.delete(ve.checkpoint());
	}

	/** Loads the VE's firewall chain and says so to its network script, or that it failed. */
	void loadFirewall(VeDirectory ve) {
		try (var firewallLock = firewalls.lock(ve)) {
			nodeSetup.apply(firewalls.chain(ve));
			touch(ve.firewallLoaded());
		}
		catch (RuntimeException ex) {
			touch(ve.firewallFailed());
			throw ex;
		}
	}

	/**
	 * Saves the running VE's processes in its checkpoint with CRIU and ends them:
	 * its next start restores them. A VE that cannot be saved runs on, unchanged, and the error says why.
	 */
	void checkpoint(VeDirectory ve) {
		String name = ve.name();
		VeState state = state(ve);
		if (state == VeState.STOPPED) {
			throw new EngineException(name + " is stopped: only a running VE has processes to checkpoint");
		}
		if (state == VeState.SUSPENDED) {
			throw new EngineException(name + " is suspended: resume it, then checkpoint it");
		}
		long init = ve.livePid("init.pid")
			.orElseThrow(() -> new EngineException(name + " is between two runs (rebooting); try again in a moment"));
		Path images = ve.checkpointUnderWay();
		ve.beginOperation("checkpoint");
		Path stopRequested = ve.state().resolve("stop-requested");
		try {
			Trees.delete(images);
			Files.createDirectories(images);
			touch(stopRequested);
			// frozen here, where the freezer is watched closely: CRIU looks at it only every 100 ms
			cgroups.freeze(name);
			launcher.checkpoint(init, images, cgroups.freezer(name), cgroups.paths(name));
			VeCheckpoint.seal(images);
			Trees.delete(ve.checkpoint());
			Files.move(images, ve.checkpoint(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			Trees.delete(images);
			throw new EngineException("Cannot write the checkpoint of " + name + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			keepLog(images.resolve("dump.log"), ve.checkpointLog());
			Trees.delete(images);
			VeDirectory.deleteQuietly(stopRequested);
			if (cgroups.exists(name) && cgroups.isFrozen(name)) {
				cgroups.thaw(name);
			}
			throw new EngineException(ex.getMessage().replace(images.resolve("dump.log").toString(),
					ve.checkpointLog().toString()), ex);
		}
		finally {
			ve.endOperation();
		}
		// CRIU ended the VE's processes once they were saved: the supervisor follows
		if (!waitUntilStopped(ve, Duration.ofSeconds(10))) {
			cgroups.killAll(name);
		}
		cleanUpAfterStop(ve);
	}

	/** CRIU's log of a checkpoint that failed, kept where the error says (its images are not). */
	private static void keepLog(Path log, Path kept) {
		try {
			if (Files.exists(log)) {
				Files.move(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			// the error still says what CRIU found first
		}
	}

	/** Stops the VE: its init's stop signal, then a kill after {@code timeout} (the caller holds its lock). */
	void stop(VeDirectory ve, Duration timeout) {
		String name = ve.name();
		if (state(ve) == VeState.STOPPED) {
			cleanUpAfterStop(ve);
			return;
		}
		ve.beginOperation("stop");
		try {
			touch(ve.state().resolve("stop-requested"));
			if (cgroups.exists(name) && cgroups.isFrozen(name)) {
				cgroups.thaw(name);
			}
			OptionalLong init = ve.livePid("init.pid");
			Template template = templates.get(ve.read().template());
			long consoleBefore = consoleSize(ve);
			// no time to stop cleanly: a kill, without the stop signal (whose shutdown would race the kill)
			if (init.isPresent() && !timeout.isZero()) {
				Signals.send(init.getAsLong(), template.stopSignal());
			}
			if (init.isPresent() && template.initSystem() == InitSystem.BUSYBOX) {
				awaitBusyboxShutdown(ve, init.getAsLong(), consoleBefore, timeout);
			}
			if (!waitUntilStopped(ve, timeout)) {
				cgroups.killAll(name);
				if (!waitUntilStopped(ve, Duration.ofSeconds(10))) {
					throw new EngineException(name + ": the supervisor did not end after its VE was killed");
				}
			}
			cleanUpAfterStop(ve);
		}
		finally {
			ve.endOperation();
		}
	}

	/** lxcfs's mount when it runs (its proc/meminfo exists), else null: the VE then sees the host's figures. */
	private Path lxcfs() {
		return Files.exists(settings.lxcfs().resolve("proc/meminfo")) ? settings.lxcfs() : null;
	}

	/**
	 * busybox's init, once its shutdown actions ran, says "The system is going down NOW!", signals every process and
	 * then sleeps a second, twice, before it ends: once it has said so and is the VE's last process, its shutdown is
	 * over, and it is killed instead of waited for (two seconds off every stop, restart and move of a busybox VE).
	 */
	private void awaitBusyboxShutdown(VeDirectory ve, long init, long consoleBefore, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (consoleSince(ve, consoleBefore).contains("going down NOW")) {
				List<Long> left;
				try {
					left = cgroups.pids(ve.name());
				}
				catch (RuntimeException ex) {
					return;
				}
				if (left.isEmpty() || left.equals(List.of(init))) {
					cgroups.killAll(ve.name());
					return;
				}
			}
			sleep(20);
		}
	}

	private static long consoleSize(VeDirectory ve) {
		try {
			return Files.size(ve.console());
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/** What the console printed since it had {@code size} bytes (all of it after a rotation). */
	private static String consoleSince(VeDirectory ve, long size) {
		try (var file = java.nio.channels.FileChannel.open(ve.console())) {
			long from = file.size() < size ? 0 : size;
			java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) Math.min(64 * 1024, file.size() - from));
			file.read(tail, from);
			return new String(tail.array(), 0, tail.position(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private boolean waitUntilStopped(VeDirectory ve, Duration timeout) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (ve.livePid("supervisor.pid").isEmpty() && ve.livePid("init.pid").isEmpty()) {
				return true;
			}
			pause(start);
		}
		return ve.livePid("supervisor.pid").isEmpty() && ve.livePid("init.pid").isEmpty();
	}

	/** Removes what a run leaves: its processes, cgroups, disk's loop device, link and state. */
	void cleanUpAfterStop(VeDirectory ve) {
		String name = ve.name();
		String loop = Files.exists(ve.state().resolve("disk")) ? ve.readState("disk").split(" ")[0] : null;
		cgroups.killAll(name);
		ve.livePid("supervisor.pid").ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		cgroups.remove(name);
		if (loop != null) {
			waitForLoopRelease(loop, ve.diskImage());
		}
		if (Files.exists(ve.state().resolve("network.log")) || Files.exists(ve.networkScript())) {
			String link = RoutedNetwork.linkName(ve.read().uidBase(), EngineSettings.IDS_PER_VE);
			// the kernel removes the link with the VE's namespace, but in its own time: now, so that a stopped VE
			// has none; the node's answers for its addresses and its firewall chain meanwhile (nothing of the VE
			// runs that they would concern)
			VeNetwork addresses = ve.read().network();
			var neighbours = new FutureTask<Void>(() -> network.forgetNeighbours(addresses), null);
			var firewall = new FutureTask<Void>(() -> firewalls.remove(ve), null);
			Thread.ofVirtual().start(neighbours);
			Thread.ofVirtual().start(firewall);
			network.removeLink(link);
			finish(neighbours);
			finish(firewall);
			// removed once: a later clean-up (a destroy) must not take a link of that name that is no longer its
			// own (the same VE's on another node of a shared network namespace, after a move)
			VeDirectory.deleteQuietly(ve.state().resolve("network.log"));
			VeDirectory.deleteQuietly(ve.networkScript());
		}
		ve.clearState();
	}

	/**
	 * The kernel unmounts a VE's disk and detaches its loop device once the last holder is gone, a moment after
	 * the processes end; an operation returns only when that has happened.
	 */
	private static void waitForLoopRelease(String loopDevice, Path image) {
		Path backing = Path.of("/sys/block", Path.of(loopDevice).getFileName().toString(), "loop/backing_file");
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (!Files.exists(backing) || !Files.readString(backing).strip().startsWith(image.toString())) {
					return;
				}
			}
			catch (IOException ex) {
				return;
			}
			pause(start);
		}
		throw new EngineException("The disk of " + image.getParent().getFileName() + " is still attached to "
				+ loopDevice + " 10 s after its VE ended");
	}

	/**
	 * Runs {@code action} with a pid whose user and mount namespaces hold the VE's files (the caller holds its
	 * lock): its init's when it runs, else a held instance's, which mounts the VE's root without running anything
	 * of it and is removed afterwards.
	 */
	<T> T withFiles(VeDirectory ve, LinuxVeEngine.FilesAction<T> action) {
		String name = ve.name();
		if (state(ve) != VeState.STOPPED) {
			return action.apply(ve.livePid("init.pid").orElseThrow());
		}
		releaseHold(ve);
		VeDirectory.Record record = ve.read();
		Template template = templates.get(record.template());
		VeDirectory hold = ve.hold();
		try {
			Files.createDirectories(hold.state());
			boolean ownDisk = Files.exists(ve.diskImage());
			long pid = launcher.start(new StartRequest(template.rootfs(), ve.upper(), ve.work(), ve.merged(),
					ve.idmapped(), VeSpec.liveHostname(record.hostname()), record.uidBase(), EngineSettings.IDS_PER_VE,
					hold.console(), VeDirectory.CONSOLE_BYTES, hold.state(), List.of(), template.init(), ownDisk ? ve.diskImage() : null, ownDisk ? ve.disk() : null,
					null, null, false, false, false, true));
			return action.apply(pid);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot open the files of " + name + ": " + ex.getMessage(), ex);
		}
		finally {
			releaseHold(ve);
		}
	}

	/**
	 * Runs {@code action} with every process of the VE frozen (the caller holds the VE's lock); a VE its owner
	 * suspended stays so. Returns how long the VE was frozen.
	 */
	Duration whileFrozen(VeDirectory ve, Runnable action) {
		String name = ve.name();
		if (state(ve) != VeState.RUNNING) {
			action.run();
			return Duration.ZERO;
		}
		long t0 = System.nanoTime();
		cgroups.freeze(name);
		try {
			action.run();
		}
		finally {
			cgroups.thaw(name);
		}
		return Duration.ofNanos(System.nanoTime() - t0);
	}

	/** Ends a held instance (also one left by a crash): its processes, then its disk, then its directory. */
	void releaseHold(VeDirectory ve) {
		VeDirectory hold = ve.hold();
		if (!Files.exists(hold.dir())) {
			return;
		}
		String loop = Files.exists(hold.state().resolve("disk")) ? hold.readState("disk").split(" ")[0] : null;
		for (String file : List.of("init.pid", "supervisor.pid")) {
			hold.livePid(file).ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while ((hold.livePid("init.pid").isPresent() || hold.livePid("supervisor.pid").isPresent())
				&& System.nanoTime() < deadline) {
			sleep(20);
		}
		if (loop != null) {
			waitForLoopRelease(loop, ve.diskImage());
		}
		Trees.delete(hold.dir());
	}

	/** I/O limits go on the loop device of the VE's disk, known once the launcher has attached it. */
	void applyIo(VeDirectory ve, String name, ResourceLimits limits) {
		if (!Files.exists(ve.state().resolve("disk"))) {
			return;
		}
		Path loop = Path.of(ve.readState("disk").split(" ")[0]);
		try {
			long rdev = ((Number) Files.getAttribute(loop, "unix:rdev")).longValue();
			// glibc's encoding of dev_t
			long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
			long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
			cgroups.applyIo(name, major + ":" + minor, limits.ioReadBps(), limits.ioWriteBps());
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the device number of " + loop + ": " + ex.getMessage(), ex);
		}
	}

	/** Waits for a step run beside others, its failure the caller's. */
	private static void finish(FutureTask<?> step) {
		try {
			step.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime
					: new EngineException(ex.getCause().toString(), ex.getCause());
		}
	}

	static void touch(Path file) {
		try {
			Files.writeString(file, "");
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** Looks again soon at first (what it waits for takes milliseconds, and a move's downtime counts them), then less often. */
	private static void pause(long since) {
		sleep(System.nanoTime() - since < 200_000_000L ? 2 : 20);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException("Interrupted");
		}
	}
}
