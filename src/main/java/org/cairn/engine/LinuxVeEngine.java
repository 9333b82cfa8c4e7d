// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.cairn.engine.cgroup.CgroupDriver;
import org.cairn.engine.cgroup.CgroupLayout;
import org.cairn.engine.launcher.Launcher;
import org.cairn.engine.launcher.StartRequest;
import org.cairn.engine.network.NodeSetup;
import org.cairn.engine.network.RoutedNetwork;
import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.network.VeTraffic;
import org.cairn.engine.template.InitSystem;
import org.cairn.engine.template.Template;
import org.cairn.engine.template.TemplateStore;

/** The engine on Linux: namespaces through the native launcher, cgroups, overlay layers over templates. */
final class LinuxVeEngine implements VeEngine {

	private static final Duration LOCK_WAIT = Duration.ofMinutes(2);

	private static final String ENGINE_LOCK = ".engine";

	/** In a running VE's state folder: it was started with nesting. */
	private static final String NESTING = "nesting";

	private final EngineSettings settings;

	private final Path ves;

	private final CgroupDriver cgroups;

	private final Launcher launcher;

	private final TemplateStore templates;

	private final TemplateWorkshop workshop;

	private final VeLocks locks;

	private final RoutedNetwork network;

	private final NodeSetup nodeSetup;

	private final DiskQuota diskQuota;

	private final VeLinks links;

	private LinuxVeEngine(EngineSettings settings, CgroupDriver cgroups, Launcher launcher) {
		this.settings = settings;
		this.ves = settings.root().resolve("ves");
		this.cgroups = cgroups;
		this.launcher = launcher;
		this.templates = new TemplateStore(settings.root());
		this.locks = new VeLocks(settings.root());
		this.workshop = new TemplateWorkshop(templates, locks, settings.debianMirror(), LOCK_WAIT);
		this.network = new RoutedNetwork(settings.node());
		this.nodeSetup = new NodeSetup(settings.node(), settings.root());
		this.diskQuota = new DiskQuota(launcher, settings.root());
		this.links = new VeLinks(network, nodeSetup);
	}

	static LinuxVeEngine open(EngineSettings settings) {
		Path ves = settings.root().resolve("ves");
		try {
			Files.createDirectories(ves);
			// other users may pass through to a VE's files (the VE's own ids must), never list them
			Files.setPosixFilePermissions(ves, PosixFilePermissions.fromString("rwx--x--x"));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot create the engine's root " + settings.root() + ": " + ex.getMessage(), ex);
		}
		EngineRoot.checkTraversable(settings.root());
		CgroupDriver cgroups = CgroupLayout.driver(settings.cgroup(), settings.cgroupV2Root(), settings.cgroupParent());
		LinuxVeEngine engine = new LinuxVeEngine(settings, cgroups, Launcher.install(settings.root()));
		engine.recover();
		return engine;
	}

	@Override
	public NodeCapacity capacity() {
		try {
			java.nio.file.FileStore store = Files.getFileStore(settings.root());
			return new NodeCapacity(ResourceLimits.nodeMemoryBytes(), Runtime.getRuntime().availableProcessors(),
					store.getTotalSpace(), store.getUsableSpace());
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read the size of " + settings.root() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String cgroupVersion() {
		return cgroups.version();
	}

	// ---- create and destroy ----

	@Override
	public VeStatus create(VeSpec spec) {
		Template template = templates.get(spec.template());
		diskQuota.checkFits(spec.limits().diskBytes());
		try (var engineLock = locks.acquire(ENGINE_LOCK, LOCK_WAIT); var veLock = locks.acquire(spec.name(), LOCK_WAIT)) {
			VeDirectory target = directory(spec.name());
			if (Files.exists(target.dir())) {
				throw new EngineException("name: a VE named '" + spec.name() + "' already exists");
			}
			checkAddressesFree(spec.name(), spec.network().addresses());
			long uidBase = freeUidBase();
			build(target, template, spec, uidBase, java.util.UUID.randomUUID().toString(), false, null);
		}
		return status(spec.name());
	}

	/**
	 * Makes the VE's directory from the template, built aside and renamed into place: an interrupted create or
	 * reinstall leaves no half VE. A reinstall's old directory, when given, is swapped out and removed.
	 */
	private void build(VeDirectory target, Template template, VeSpec spec, long uidBase, String id, boolean nesting,
			Path replaced) {
		Path staging = ves.resolve(".new-" + spec.name() + "-" + uidBase);
		try {
			VeDirectory staged = new VeDirectory(staging);
			Trees.delete(staging);
			Files.createDirectories(staging);
			Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx--x--x"));
			// with a disk quota, upper and work are made here, then copied into the new ext4 image
			Path layer = spec.limits().diskBytes() > 0 ? staging.resolve("layer") : staging;
			Path upper = layer.resolve("upper");
			Path work = layer.resolve("work");
			for (Path dir : List.of(upper, work, staged.merged(), staged.idmapped(), staged.state())) {
				Files.createDirectories(dir);
			}
			chown(upper, uidBase);
			chown(work, uidBase);
			writeIdentity(upper, spec.hostname(), spec.network(), uidBase);
			SshHostKeys.make(upper, template.rootfs(), uidBase);
			RootAccess.apply(upper, template.rootfs(), uidBase, spec.rootPassword(), spec.sshKey());
			if (spec.limits().diskBytes() > 0) {
				Disks.make(staged.diskImage(), layer, spec.limits().diskBytes(), spec.limits().inodes(), uidBase);
				Files.createDirectories(staged.disk());
				Trees.delete(layer);
			}
			staged.write(new VeDirectory.Record(spec.name(), template.name(), spec.hostname(), uidBase, spec.limits(),
					spec.network(), id, nesting));
			if (replaced != null) {
				Files.move(target.dir(), replaced);
			}
			Files.move(staging, target.dir());
		}
		catch (IOException | RuntimeException ex) {
			Trees.delete(staging);
			if (replaced != null && Files.exists(replaced) && !Files.exists(target.dir())) {
				try {
					Files.move(replaced, target.dir());
				}
				catch (IOException ignored) {
					// left as .destroying-*: the next engine start removes it, the VE is gone
				}
			}
			throw ex instanceof EngineException engine ? engine
					: new EngineException("Cannot make the files of " + spec.name() + ": "
							+ (ex.getMessage() == null ? ex.toString() : ex.getMessage()), ex);
		}
		if (replaced != null) {
			Trees.delete(replaced);
		}
	}

	@Override
	public VeStatus reinstall(String name, String templateName, String rootPassword, String sshKey,
			Duration timeout) {
		VeSpec.checkName(name);
		Template template = templates.get(templateName);
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			VeDirectory.Record record = ve.read();
			VeSpec spec = new VeSpec(name, template.name(), record.hostname(), rootPassword, sshKey, record.limits(),
					record.network());
			boolean wasRunning = liveState(ve) != VeState.STOPPED;
			if (wasRunning) {
				stopLocked(ve, timeout);
			}
			releaseHold(ve);
			// the same id: the VE's backups stay its own and can be restored into the new system
			build(ve, template, spec, record.uidBase(), record.id(), record.nesting(),
					ves.resolve(".destroying-" + name + "-" + System.nanoTime()));
			if (wasRunning) {
				startLocked(ve, name);
			}
		}
		return status(name);
	}

	@Override
	public void setRootAccess(String name, String rootPassword, String sshKey) {
		if (rootPassword == null && sshKey == null) {
			throw new EngineException("root-password: give a password or an SSH key");
		}
		RootAccess.checkPassword(rootPassword);
		RootAccess.checkKey(sshKey);
		withFiles(name, pid -> {
			RootAccess.apply(new VeFiles(launcher, pid, existing(name)), rootPassword, sshKey);
			return null;
		});
	}

	/** A running VE's seccomp filter is the one it started with: commands entering it get the same. */
	private boolean startedWithNesting(String name) {
		return Files.exists(directory(name).state().resolve(NESTING));
	}

	@Override
	public void setNesting(String name, boolean on) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			ve.write(ve.read().withNesting(on));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot record nesting for " + name + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public boolean nesting(String name) {
		VeSpec.checkName(name);
		return existing(name).read().nesting();
	}

	@Override
	public VeStatus setHostname(String name, String hostname) {
		VeSpec.checkName(name);
		String wanted = new VeSpec(name, "busybox", hostname).hostname();
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			VeDirectory.Record record = ve.read();
			withFilesLocked(ve, name, pid -> {
				VeFiles files = new VeFiles(launcher, pid, ve);
				files.write("/etc/hostname", wanted + "\n", "644");
				String hosts = files.read("/etc/hosts").orElse(HostIdentity.hosts(record.hostname(), record.network()));
				files.write("/etc/hosts", HostIdentity.renamed(hosts, record.hostname(), wanted), "644");
				return null;
			});
			try {
				ve.write(record.withHostname(wanted));
			}
			catch (IOException ex) {
				throw new EngineException("Cannot record the host name of " + name + ": " + ex.getMessage(), ex);
			}
			if (liveState(ve) != VeState.STOPPED) {
				launcher.setHostname(ve.livePid("init.pid").orElseThrow(), VeSpec.liveHostname(wanted));
			}
		}
		return status(name);
	}

	/** /etc/hostname, /etc/hosts and (with name servers) /etc/resolv.conf of the VE, owned by its root. */
	private static void writeIdentity(Path upper, String hostname, VeNetwork network, long uidBase) throws IOException {
		Path etc = upper.resolve("etc");
		Files.createDirectories(etc);
		chown(etc, uidBase);
		chown(Files.writeString(etc.resolve("hostname"), hostname + "\n"), uidBase);
		chown(Files.writeString(etc.resolve("hosts"), HostIdentity.hosts(hostname, network)), uidBase);
		if (!network.nameservers().isEmpty()) {
			StringBuilder resolv = new StringBuilder();
			network.nameservers().forEach(ns -> resolv.append("nameserver ").append(VeNetwork.format(ns)).append('\n'));
			chown(Files.writeString(etc.resolve("resolv.conf"), resolv), uidBase);
		}
	}

	/** An address belongs to one VE of the node at a time (the caller holds the engine lock). */
	private void checkAddressesFree(String name, List<InetAddress> addresses) {
		if (addresses.isEmpty()) {
			return;
		}
		for (VeStatus other : list()) {
			if (other.name().equals(name)) {
				continue;
			}
			List<InetAddress> taken = directory(other.name()).read().network().addresses();
			for (InetAddress address : addresses) {
				if (taken.contains(address)) {
					throw new EngineException("ip: " + VeNetwork.format(address) + " belongs to the VE " + other.name());
				}
			}
		}
	}

	private long freeUidBase() throws EngineException {
		Set<Long> used = new HashSet<>();
		try (Stream<Path> entries = Files.list(ves)) {
			for (Path entry : entries.toList()) {
				Path properties = entry.resolve("ve.properties");
				if (Files.exists(properties)) {
					used.add(new VeDirectory(entry).read().uidBase());
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + ves + ": " + ex.getMessage(), ex);
		}
		long base = settings.firstUid();
		while (used.contains(base)) {
			base += EngineSettings.IDS_PER_VE;
		}
		if (base + EngineSettings.IDS_PER_VE > (1L << 31)) {
			throw new EngineException("No free range of user ids is left for another VE");
		}
		return base;
	}

	@Override
	public void destroy(String name) {
		VeSpec.checkName(name);
		try (var lock = winningLock(name)) {
			VeDirectory ve = existing(name);
			// its files go next: no clean shutdown to wait for
			touch(ve.state().resolve("stop-requested"));
			cleanUpAfterStop(ve, name);
			// renamed first: an interrupted destroy is finished at the next engine start
			Path doomed = ves.resolve(".destroying-" + name + "-" + System.nanoTime());
			// its backups stay in the repository (tagged with its id, which no later VE gets) until pruned
			new org.cairn.engine.backup.BackupSchedule(settings.root()).forget(name);
			try {
				Files.move(ve.dir(), doomed);
			}
			catch (IOException ex) {
				throw new EngineException("Cannot remove " + ve.dir() + ": " + ex.getMessage(), ex);
			}
			cgroups.remove(name);
			cgroups.killAll(name + ".helpers");
			cgroups.remove(name + ".helpers");
			Trees.delete(doomed);
		}
	}

	// ---- start, stop, suspend ----

	@Override
	public VeStatus start(String name) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			startLocked(existing(name), name);
		}
		return status(name);
	}

	private void startLocked(VeDirectory ve, String name) {
		VeState state = liveState(ve);
		if (state != VeState.STOPPED) {
			throw new EngineException(name + " is " + state.label() + ", not stopped");
		}
		{
			releaseHold(ve);
			VeDirectory.Record record = ve.read();
			Template template = templates.get(record.template());
			ve.beginOperation("start");
			ve.clearState();
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
				links.writeScript(ve, record);
				if (record.network().isConnected()) {
					nodeSetup.apply();
				}
				launcher.start(new StartRequest(template.rootfs(), ve.upper(), ve.work(), ve.merged(), ve.idmapped(),
						VeSpec.liveHostname(record.hostname()), record.uidBase(), EngineSettings.IDS_PER_VE, ve.console(),
						VeDirectory.CONSOLE_BYTES, ve.state(),
						cgroups.procsFiles(name), template.init(), ownDisk ? ve.diskImage() : null,
						ownDisk ? ve.disk() : null, lxcfs(), ve.networkScript(),
						template.initSystem() == InitSystem.SYSTEMD, cgroup2, record.nesting(), false));
				applyIo(ve, name, record.limits());
				if (record.nesting()) {
					Files.writeString(ve.state().resolve(NESTING), "the VE runs with nesting\n");
				}
			}
			catch (IOException ex) {
				cleanUpAfterStop(ve, name);
				throw new EngineException("Cannot record the start of " + name + ": " + ex.getMessage(), ex);
			}
			catch (RuntimeException ex) {
				cleanUpAfterStop(ve, name);
				throw ex;
			}
			finally {
				ve.endOperation();
			}
		}
	}

	// ---- the VE's files, for backups and restores ----

	private volatile LinuxVeBackups backups;

	@Override
	public VeBackups backups() {
		if (backups == null) {
			backups = new LinuxVeBackups(this, launcher, settings.root(), locks);
		}
		return backups;
	}

	/** The VE's record (name, id, limits ...). */
	VeDirectory.Record record(String name) {
		VeSpec.checkName(name);
		return existing(name).read();
	}

	/** What a backup or restore does with the pid whose namespaces hold the VE's files. */
	interface FilesAction<T> {

		T apply(long pid);
	}

	/**
	 * Runs {@code action} under the VE's lock with a pid whose user and mount namespaces hold the VE's files:
	 * its init's when it runs (or is suspended), else a held instance's, which mounts the VE's root without
	 * running anything of it and is removed afterwards.
	 */
	<T> T withFiles(String name, FilesAction<T> action) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			return withFilesLocked(existing(name), name, action);
		}
	}

	/** As {@link #withFiles}, with the VE stopped for the length of {@code action} and started again if it ran. */
	<T> T withFilesStopped(String name, Duration timeout, FilesAction<T> action) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			boolean wasRunning = liveState(ve) != VeState.STOPPED;
			if (wasRunning) {
				stopLocked(ve, timeout);
			}
			T result = withFilesLocked(ve, name, action);
			if (wasRunning) {
				startLocked(ve, name);
			}
			return result;
		}
	}

	private <T> T withFilesLocked(VeDirectory ve, String name, FilesAction<T> action) {
		if (liveState(ve) != VeState.STOPPED) {
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
	Duration whileFrozen(String name, Runnable action) {
		if (liveState(existing(name)) != VeState.RUNNING) {
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
	private void releaseHold(VeDirectory ve) {
		VeDirectory hold = ve.hold();
		if (!Files.exists(hold.dir())) {
			return;
		}
		String loop = Files.exists(hold.state().resolve("disk")) ? readState(hold, "disk").split(" ")[0] : null;
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

	@Override
	public VeStatus stop(String name, Duration timeout) {
		VeSpec.checkName(name);
		// a stop wins over an operation at work on the VE: its helpers end, and it lets the lock go
		try (var lock = winningLock(name)) {
			stopLocked(existing(name), timeout);
		}
		return status(name);
	}

	private void stopLocked(VeDirectory ve, Duration timeout) {
		String name = ve.dir().getFileName().toString();
		if (liveState(ve) == VeState.STOPPED) {
			cleanUpAfterStop(ve, name);
			return;
		}
		ve.beginOperation("stop");
		try {
			touch(ve.state().resolve("stop-requested"));
			if (cgroups.exists(name) && cgroups.isFrozen(name)) {
				cgroups.thaw(name);
			}
			OptionalLong init = ve.livePid("init.pid");
			if (init.isPresent()) {
				Signals.send(init.getAsLong(), templates.get(ve.read().template()).stopSignal());
			}
			if (!waitUntilStopped(ve, timeout)) {
				cgroups.killAll(name);
				if (!waitUntilStopped(ve, Duration.ofSeconds(10))) {
					throw new EngineException(name + ": the supervisor did not end after its VE was killed");
				}
			}
			cleanUpAfterStop(ve, name);
		}
		finally {
			ve.endOperation();
		}
	}

	/** lxcfs's mount when it runs (its proc/meminfo exists), else null: the VE then sees the host's figures. */
	private Path lxcfs() {
		return Files.exists(settings.lxcfs().resolve("proc/meminfo")) ? settings.lxcfs() : null;
	}

	private boolean waitUntilStopped(VeDirectory ve, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (ve.livePid("supervisor.pid").isEmpty() && ve.livePid("init.pid").isEmpty()) {
				return true;
			}
			sleep(20);
		}
		return ve.livePid("supervisor.pid").isEmpty() && ve.livePid("init.pid").isEmpty();
	}

	private void cleanUpAfterStop(VeDirectory ve, String name) {
		String loop = Files.exists(ve.state().resolve("disk")) ? readState(ve, "disk").split(" ")[0] : null;
		cgroups.killAll(name);
		ve.livePid("supervisor.pid").ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
		cgroups.remove(name);
		if (loop != null) {
			waitForLoopRelease(loop, ve.diskImage());
		}
		if (Files.exists(ve.state().resolve("network.log")) || Files.exists(ve.networkScript())) {
			// the kernel removes the link with the VE's namespace, but in its own time: now, so that a stopped VE
			// has none
			network.removeLink(RoutedNetwork.linkName(ve.read().uidBase(), EngineSettings.IDS_PER_VE));
		}
		ve.clearState();
	}

	/**
	 * The kernel unmounts a VE's disk and detaches its loop device once the last holder is gone, a moment after
	 * the processes end; an operation returns only when that has happened.
	 */
	private static void waitForLoopRelease(String loopDevice, Path image) {
		Path backing = Path.of("/sys/block", Path.of(loopDevice).getFileName().toString(), "loop/backing_file");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (!Files.exists(backing) || !Files.readString(backing).strip().startsWith(image.toString())) {
					return;
				}
			}
			catch (IOException ex) {
				return;
			}
			sleep(20);
		}
		throw new EngineException("The disk of " + image.getParent().getFileName() + " is still attached to "
				+ loopDevice + " 10 s after its VE ended");
	}

	@Override
	public VeStatus restart(String name, Duration timeout) {
		stop(name, timeout);
		return start(name);
	}

	@Override
	public VeStatus suspend(String name) {
		VeSpec.checkName(name);
		return freezer(name, VeState.RUNNING, "suspended", cgroups::freeze);
	}

	@Override
	public VeStatus resume(String name) {
		return freezer(name, VeState.SUSPENDED, "resumed", cgroups::thaw);
	}

	/** Suspend and resume: one freezer action, allowed from one state; a suspend wins over operations under way. */
	private VeStatus freezer(String name, VeState from, String done, java.util.function.Consumer<String> action) {
		VeSpec.checkName(name);
		try (var lock = from == VeState.RUNNING ? winningLock(name) : locks.acquire(name, LOCK_WAIT)) {
			VeState state = liveState(existing(name));
			if (state != from) {
				throw new EngineException(name + " is " + state.label() + "; only a " + from.label() + " VE can be " + done);
			}
			action.accept(name);
		}
		return status(name);
	}

	@Override
	public ResourceLimits limits(String name) {
		VeSpec.checkName(name);
		return existing(name).read().limits();
	}

	@Override
	public VeStatus set(String name, ResourceLimits limits) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			VeDirectory.Record record = ve.read();
			boolean running = liveState(ve) != VeState.STOPPED;
			diskQuota.resize(ve, record.limits(), limits, running);
			if (running && cgroups.exists(name)) {
				try {
					cgroups.apply(name, limits);
					applyIo(ve, name, limits);
				}
				catch (EngineException ex) {
					// the kernel refused (a memory limit below what cannot be reclaimed, say): back to the old
					cgroups.apply(name, record.limits());
					throw ex;
				}
			}
			try {
				ve.write(record.withLimits(limits));
			}
			catch (IOException ex) {
				throw new EngineException("Cannot record the limits of " + name + ": " + ex.getMessage(), ex);
			}
		}
		return status(name);
	}

	// ---- network ----

	@Override
	public VeNetwork network(String name) {
		VeSpec.checkName(name);
		return existing(name).read().network();
	}

	@Override
	public VeStatus setNetwork(String name, VeNetwork wanted) {
		VeSpec.checkName(name);
		try (var engineLock = locks.acquire(ENGINE_LOCK, LOCK_WAIT); var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			VeDirectory.Record record = ve.read();
			checkAddressesFree(name, wanted.addresses());
			VeDirectory.Record changed = record.withNetwork(wanted);
			// through the supervisor's holder of the VE's network namespace, never a process of the VE's
			OptionalLong pid = liveState(ve) == VeState.STOPPED ? OptionalLong.empty() : networkHolder(ve);
			if (pid.isPresent()) {
				links.apply(ve, changed, record.network(), pid.getAsLong());
			}
			try {
				ve.write(changed);
			}
			catch (IOException ex) {
				throw new EngineException("Cannot record the network of " + name + ": " + ex.getMessage(), ex);
			}
		}
		return status(name);
	}

	@Override
	public Optional<String> outboundNat() {
		return nodeSetup.outboundNat();
	}

	@Override
	public void setOutboundNat(Optional<String> device) {
		try (var engineLock = locks.acquire(ENGINE_LOCK, LOCK_WAIT)) {
			nodeSetup.setOutboundNat(device);
		}
	}

	/** I/O limits go on the loop device of the VE's disk, known once the launcher has attached it. */
	private void applyIo(VeDirectory ve, String name, ResourceLimits limits) {
		if (!Files.exists(ve.state().resolve("disk"))) {
			return;
		}
		Path loop = Path.of(readState(ve, "disk").split(" ")[0]);
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

	static String readState(VeDirectory ve, String file) {
		try {
			return Files.readString(ve.state().resolve(file)).strip();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + ve.state().resolve(file) + ": " + ex.getMessage(), ex);
		}
	}

	/** The previous CPU sample of each VE, for CPU %. */
	private final java.util.Map<String, long[]> cpuSamples = new java.util.concurrent.ConcurrentHashMap<>();

	@Override
	public VeUsage usage(String name) {
		VeSpec.checkName(name);
		existing(name);
		if (!cgroups.exists(name)) {
			cpuSamples.remove(name);
			return new VeUsage(name, 0, 0, 0, 0, 0, 0, 0, VeUsage.Io.NONE, VeUsage.DiskUsage.NONE, VeTraffic.NONE);
		}
		long now = System.nanoTime();
		CgroupDriver.Usage usage = cgroups.usage(name);
		long[] previous = cpuSamples.put(name, new long[] { now, usage.cpuNanos() });
		// CPU % needs an earlier sample: the first call of a VE (or one after a long pause) cannot say
		double percent = -1;
		if (previous != null && now - previous[0] < 600_000_000_000L && now > previous[0]) {
			percent = Math.max(0, usage.cpuNanos() - previous[1]) * 100.0 / (now - previous[0]);
		}
		VeDirectory ve = existing(name);
		VeUsage.DiskUsage disk = VeUsage.DiskUsage.NONE;
		if (Files.exists(ve.state().resolve("disk"))) {
			disk = DiskQuota.usage(readState(ve, "disk").split(" "));
		}
		OptionalLong holder = networkHolder(ve);
		VeTraffic traffic = holder.isPresent() ? RoutedNetwork.traffic(holder.getAsLong()) : VeTraffic.NONE;
		return new VeUsage(name, usage.memory(), usage.memoryPeak(), usage.swap(), usage.cpuNanos(),
				percent < 0 ? -1 : Math.round(percent * 10) / 10.0, usage.processes(), usage.oomKills(), usage.io(),
				disk, traffic);
	}

	/**
	 * A process in the running VE's network namespace that the VE cannot move: its supervisor's holder; a VE
	 * started by an older Cairn has none, and its init stands in.
	 */
	private static OptionalLong networkHolder(VeDirectory ve) {
		OptionalLong holder = ve.livePid("network.pid");
		return holder.isPresent() || Files.exists(ve.state().resolve("network.pid")) ? holder : ve.livePid("init.pid");
	}

	// ---- reading ----

	@Override
	public VeStatus status(String name) {
		VeSpec.checkName(name);
		VeDirectory ve = existing(name);
		VeDirectory.Record record = ve.read();
		VeState state = ve.currentOperation().isPresent() ? VeState.BUSY : liveState(ve);
		return new VeStatus(name, state, record.template(), record.hostname(),
				state == VeState.STOPPED ? OptionalLong.empty() : ve.livePid("init.pid"), record.uidBase(),
				ve.currentOperation().orElse(""), state == VeState.STOPPED ? ve.stopReason() : "");
	}

	@Override
	public List<VeStatus> list() {
		List<VeStatus> all = new ArrayList<>();
		for (String name : names()) {
			all.add(status(name));
		}
		return all;
	}

	@Override
	public ProcessBuilder exec(String name, List<String> command, boolean tty) {
		// the one thing a terminal's caller passes on: what kind of terminal it is
		String term = System.getenv("TERM");
		if (command.isEmpty()) {
			throw new EngineException("exec: give a command to run in the VE");
		}
		VeStatus status = status(name);
		if (status.state() != VeState.RUNNING || status.initPid().isEmpty()) {
			throw new EngineException(name + " is " + status.state().label() + "; commands run only in a running VE");
		}
		return launcher.exec(status.initPid().getAsLong(), cgroups.procsFilesToEnter(name), command, tty, null,
				tty && term != null ? java.util.Map.of("TERM", term) : java.util.Map.of(), startedWithNesting(name));
	}

	@Override
	public VeConsole console(String name, List<String> command, int rows, int cols) {
		if (command.isEmpty()) {
			throw new EngineException("console: give a command to run in the VE");
		}
		VeStatus status = status(name);
		if (status.state() != VeState.RUNNING || status.initPid().isEmpty()) {
			throw new EngineException(name + " is " + status.state().label()
					+ (status.state() == VeState.SUSPENDED ? "; resume it" : "; start it") + " to use its console");
		}
		long pid = status.initPid().getAsLong();
		return LauncherConsole.start(sizeFile -> {
			// what xterm.js and most terminals understand: colours and full-screen programs work
			return launcher.exec(pid, cgroups.procsFilesToEnter(name), command, true, sizeFile,
					java.util.Map.of("TERM", "xterm-256color"), startedWithNesting(name));
		}, settings.root().resolve(".consoles"), rows, cols);
	}

	@Override
	public VeConsole attachConsole(String name) {
		VeStatus status = status(name);
		if (status.state() == VeState.STOPPED) {
			throw new EngineException(name + " is stopped; start it to use its console");
		}
		try {
			return new AttachedConsole(java.nio.channels.SocketChannel
				.open(java.net.UnixDomainSocketAddress.of(existing(name).consoleSocket())));
		}
		catch (IOException ex) {
			throw new EngineException("Cannot reach the console of " + name + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String consoleLog(String name, int maxBytes) {
		VeSpec.checkName(name);
		VeDirectory ve = existing(name);
		return ConsoleLog.tail(ve.console(), maxBytes);
	}

	@Override
	public List<Template> templates() {
		return templates.list();
	}

	@Override
	public List<String> templateBuilders() {
		return TemplateWorkshop.builders();
	}

	@Override
	public Template buildTemplate(String name, java.util.function.Consumer<String> progress) {
		return workshop.build(name, progress);
	}

	@Override
	public Template importTemplate(String name, Path archive, long maxBytes, String from,
			java.util.function.Consumer<String> progress) {
		return workshop.importArchive(name, archive, maxBytes, from, progress);
	}

	@Override
	public void deleteTemplate(String name) {
		workshop.delete(name, () -> locks.acquire(ENGINE_LOCK, LOCK_WAIT), this::list);
	}

	/** Running, suspended or stopped, from the kernel: the supervisor's and init's processes and the freezer. */
	private VeState liveState(VeDirectory ve) {
		String name = ve.dir().getFileName().toString();
		if (ve.livePid("init.pid").isEmpty() && ve.livePid("supervisor.pid").isEmpty()) {
			return VeState.STOPPED;
		}
		return cgroups.exists(name) && cgroups.isFrozen(name) ? VeState.SUSPENDED : VeState.RUNNING;
	}

	// ---- recovery ----

	/** Finishes or rolls back what a crashed engine left half done; running VEs are adopted as they are. */
	private void recover() {
		try (Stream<Path> entries = Files.list(ves)) {
			for (Path entry : entries.toList()) {
				String file = entry.getFileName().toString();
				if (file.startsWith(".new-") || file.startsWith(".destroying-")) {
					String name = file.replaceFirst("^\\.(new|destroying)-", "").replaceFirst("-\\d+$", "");
					if (file.startsWith(".destroying-")) {
						cgroups.killAll(name);
						cgroups.remove(name);
					}
					Trees.delete(entry);
				}
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + ves + ": " + ex.getMessage(), ex);
		}
		for (String name : names()) {
			VeLocks.Held lock = locks.tryAcquire(name, Duration.ZERO);
			if (lock == null) {
				continue; // another process is working on it
			}
			try (lock) {
				VeDirectory ve = directory(name);
				releaseHold(ve);
				// a helpers' cgroup left by a crash mid-backup
				if (cgroups.exists(name + ".helpers")) {
					cgroups.killAll(name + ".helpers");
					cgroups.remove(name + ".helpers");
				}
				if (ve.currentOperation().isPresent()) {
					if (ve.currentOperation().get().equals("stop") || liveState(ve) == VeState.STOPPED) {
						stopLocked(ve, Duration.ofSeconds(10));
					}
					ve.endOperation();
				}
				else if (liveState(ve) == VeState.STOPPED && cgroups.exists(name)) {
					cleanUpAfterStop(ve, name);
				}
			}
		}
	}

	// ---- helpers ----

	private List<String> names() {
		try (Stream<Path> entries = Files.list(ves)) {
			return entries.map(p -> p.getFileName().toString())
				.filter(n -> VeSpec.NAME.matcher(n).matches())
				.filter(n -> Files.exists(ves.resolve(n).resolve("ve.properties")))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + ves + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Where the node reaches a VE's writable layer and its snapshot store: on the VE's own disk (through the
	 * descriptor its supervisor, or its held instance's, holds), else beside its record. The caller holds the
	 * VE's lock, inside {@link #withFiles}.
	 */
	record Layer(Path upper, Path snapshots, long uidBase) {
	}

	Layer layer(String name) {
		VeDirectory ve = existing(name);
		long uidBase = ve.read().uidBase();
		if (!Files.exists(ve.diskImage())) {
			return new Layer(ve.dir().resolve("upper"), ve.dir().resolve("snapshots"), uidBase);
		}
		VeDirectory instance = liveState(ve) != VeState.STOPPED ? ve : ve.hold();
		String[] held = readState(instance, "disk").split(" ");
		Path disk = Path.of("/proc", held[1], "fd", held[2]);
		return new Layer(disk.resolve("upper"), disk.resolve("snapshots"), uidBase);
	}

	private volatile LinuxVeSnapshots snapshots;

	@Override
	public VeSnapshots snapshots() {
		if (snapshots == null) {
			snapshots = new LinuxVeSnapshots(this, launcher);
		}
		return snapshots;
	}

	/** A cgroup for the engine's helpers of a VE (restic): its own, with the VE's CPU and I/O limits. */
	interface HelperCgroup extends AutoCloseable {

		List<Path> procsFiles();

		@Override
		void close();
	}

	/**
	 * The cgroup {@code NAME.helpers} (no VE name has a dot) with the VE's CPU and I/O limits and no memory or
	 * process limit: a backup of the VE costs the node what the VE may cost it, yet is not frozen with the VE (a
	 * consistent backup freezes it) nor killed by its memory limit. Removed on close.
	 */
	HelperCgroup helperCgroup(String name) {
		String helpers = name + ".helpers";
		VeDirectory ve = existing(name);
		ResourceLimits limits = ve.read().limits();
		cgroups.create(helpers);
		try {
			cgroups.apply(helpers, new ResourceLimits(0, 0, limits.cpus(), limits.cpuLimitPercent(), limits.cpuWeight(), 0, 0,
					0, limits.ioReadBps(), limits.ioWriteBps()));
			applyIo(ve, helpers, limits);
		}
		catch (RuntimeException ex) {
			cgroups.remove(helpers);
			throw ex;
		}
		List<Path> procs = cgroups.procsFiles(helpers);
		return new HelperCgroup() {

			@Override
			public List<Path> procsFiles() {
				return procs;
			}

			@Override
			public void close() {
				cgroups.killAll(helpers);
				cgroups.remove(helpers);
			}
		};
	}

	/**
	 * The VE's lock for an operation that yields to a stop, suspend or destroy: one asked while this one waited
	 * for the lock goes first, and this one is refused then (a queue of renames never holds an admin's stop up).
	 */
	private VeLocks.Held yieldingLock(String name) {
		VeLocks.Held held = locks.acquire(name, LOCK_WAIT);
		if (Files.exists(directory(name).state().resolve(PREEMPT))) {
			held.close();
			throw new EngineException(name + ": a stop, suspend or destroy came first; try again");
		}
		return held;
	}

	/**
	 * The VE's lock for a stop, suspend or destroy, which wins over what is under way: the helpers at work on the
	 * VE end, operations waiting for the lock give up (see {@link #yieldingLock}), and this one gets it next.
	 */
	private VeLocks.Held winningLock(String name) {
		Path marker = directory(name).state().resolve(PREEMPT);
		boolean marked = Files.isDirectory(marker.getParent());
		if (marked) {
			touch(marker);
		}
		try {
			VeHelpers.interrupt(directory(name));
			VeLocks.Held held = locks.acquire(name, LOCK_WAIT);
			return marked ? held.then(() -> VeDirectory.deleteQuietly(marker)) : held;
		}
		catch (RuntimeException ex) {
			VeDirectory.deleteQuietly(marker);
			throw ex;
		}
	}

	private static final String PREEMPT = "preempt";

	/** The VE's directory, for the engine's other parts (its backups). */
	VeDirectory directoryOf(String name) {
		VeSpec.checkName(name);
		return existing(name);
	}

	private VeDirectory directory(String name) {
		return new VeDirectory(ves.resolve(name));
	}

	private VeDirectory existing(String name) {
		VeDirectory ve = directory(name);
		if (!Files.exists(ve.properties())) {
			throw new EngineException("name: there is no VE named '" + name + "'");
		}
		return ve;
	}

	private static void chown(Path path, long uid) throws IOException {
		Ownership.chown(path, uid);
	}

	private static void touch(Path file) {
		try {
			Files.writeString(file, "");
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write " + file + ": " + ex.getMessage(), ex);
		}
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
