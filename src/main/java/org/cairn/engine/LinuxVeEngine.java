// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.cairn.engine.cgroup.CgroupDriver;
import org.cairn.engine.cgroup.CgroupLayout;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.engine.launcher.Launcher;
import org.cairn.engine.network.NodeSetup;
import org.cairn.engine.network.RoutedNetwork;
import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.Template;
import org.cairn.engine.template.TemplateStore;

/** The engine on Linux: namespaces through the native launcher, cgroups, overlay layers over templates. */
final class LinuxVeEngine implements VeEngine {


	private static final String ENGINE_LOCK = ".engine";

	private final EngineSettings settings;

	private final Path ves;

	private final VeAllotments allotments;

	private final CgroupDriver cgroups;

	private final Launcher launcher;

	private final TemplateStore templates;

	private final TemplateWorkshop workshop;

	private final VeLocks locks;

	private final RoutedNetwork network;

	private final NodeSetup nodeSetup;

	private final DiskQuota diskQuota;

	private final VeLinks links;

	private final VeFirewalls firewalls;

	private final VeRunner runner;

	private final VeUsageReader usageReader;

	private LinuxVeEngine(EngineSettings settings, CgroupDriver cgroups, Launcher launcher) {
		this.settings = settings;
		this.ves = settings.root().resolve("ves");
		this.allotments = new VeAllotments(ves, settings);
		this.cgroups = cgroups;
		this.launcher = launcher;
		this.templates = new TemplateStore(settings.root());
		this.locks = new VeLocks(settings.root());
		this.workshop = new TemplateWorkshop(templates, locks, settings.debianMirror(), settings.lockWait());
		this.network = new RoutedNetwork(settings.node());
		this.nodeSetup = new NodeSetup(settings.node(), settings.root());
		this.diskQuota = new DiskQuota(launcher, settings.root());
		this.links = new VeLinks(network, nodeSetup);
		this.usageReader = new VeUsageReader(cgroups);
		this.firewalls = new VeFirewalls(locks, nodeSetup, settings.lockWait());
		this.runner = new VeRunner(settings, cgroups, launcher, templates, network, nodeSetup, links, firewalls);
	}

	static LinuxVeEngine open(EngineSettings settings, boolean repair) {
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
		if (repair) {
			new CrashRecovery(ves, engine::names, engine.locks, cgroups, engine.runner).run();
		}
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
		try (var engineLock = locks.acquire(ENGINE_LOCK, settings.lockWait());
				var veLock = locks.acquire(spec.name(), settings.lockWait())) {
			VeDirectory target = directory(spec.name());
			if (Files.exists(target.dir())) {
				throw new EngineException("name: a VE named '" + spec.name() + "' already exists");
			}
			allotments.checkAddressesFree(spec.name(), spec.network());
			long uidBase = allotments.freeUidBase();
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
				// a reinstall keeps what the node holds for the VE beside its files: its firewall settings
				for (Path kept : List.of(target.firewallFile(), target.nodeRulesExemptFile())) {
					if (Files.exists(kept)) {
						Files.copy(kept, staged.dir().resolve(kept.getFileName()));
					}
				}
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
			boolean wasRunning = runner.state(ve) != VeState.STOPPED;
			if (wasRunning) {
				runner.stop(ve, timeout);
			}
			runner.releaseHold(ve);
			// its processes would come back to files that are gone
			Trees.delete(ve.checkpoint());
			// the same id: the VE's backups stay its own and can be restored into the new system
			build(ve, template, spec, record.uidBase(), record.id(), record.nesting(),
					ves.resolve(".destroying-" + name + "-" + System.nanoTime()));
			if (wasRunning) {
				runner.start(ve);
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
		return Files.exists(directory(name).state().resolve(VeRunner.NESTING));
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
			runner.withFiles(ve, pid -> {
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
			if (runner.state(ve) != VeState.STOPPED) {
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

	/** The ids and addresses each VE of the node holds alone. */
	VeAllotments allotments() {
		return allotments;
	}

	@Override
	public void destroy(String name) {
		VeSpec.checkName(name);
		try (var lock = winningLock(name)) {
			VeDirectory ve = existing(name);
			// its files go next: no clean shutdown to wait for
			VeRunner.touch(ve.state().resolve("stop-requested"));
			runner.cleanUpAfterStop(ve);
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
			runner.start(existing(name));
		}
		return status(name);
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
			return runner.withFiles(existing(name), action);
		}
	}

	/** As {@link #withFiles}, with the VE stopped for the length of {@code action} and started again if it ran. */
	<T> T withFilesStopped(String name, Duration timeout, FilesAction<T> action) {
		VeSpec.checkName(name);
		try (var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			boolean wasRunning = runner.state(ve) != VeState.STOPPED;
			if (wasRunning) {
				runner.stop(ve, timeout);
			}
			T result = runner.withFiles(ve, action);
			if (wasRunning) {
				runner.start(ve);
			}
			return result;
		}
	}

	@Override
	public VeStatus stop(String name, Duration timeout) {
		VeSpec.checkName(name);
		// a stop wins over an operation at work on the VE: its helpers end, and it lets the lock go
		try (var lock = winningLock(name)) {
			runner.stop(existing(name), timeout);
		}
		return status(name);
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
		try (var lock = from == VeState.RUNNING ? winningLock(name) : locks.acquire(name, settings.lockWait())) {
			VeState state = runner.state(existing(name));
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
			boolean running = runner.state(ve) != VeState.STOPPED;
			diskQuota.resize(ve, record.limits(), limits, running);
			if (running && cgroups.exists(name)) {
				try {
					cgroups.apply(name, limits);
					runner.applyIo(ve, name, limits);
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
		try (var engineLock = locks.acquire(ENGINE_LOCK, settings.lockWait()); var lock = yieldingLock(name)) {
			VeDirectory ve = existing(name);
			VeDirectory.Record record = ve.read();
			allotments.checkAddressesFree(name, wanted);
			VeDirectory.Record changed = record.withNetwork(wanted);
			// through the supervisor's holder of the VE's network namespace, never a process of the VE's
			OptionalLong pid = runner.state(ve) == VeState.STOPPED ? OptionalLong.empty() : ve.networkHolder();
			if (pid.isPresent()) {
				links.apply(ve, changed, record.network(), pid.getAsLong(), () -> runner.loadFirewall(ve));
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
	public Firewall firewall(String name) {
		VeSpec.checkName(name);
		return existing(name).firewall();
	}

	@Override
	public VeStatus setFirewall(String name, Firewall firewall) {
		VeSpec.checkName(name);
		firewalls.set(existing(name), firewall, runner::runningOrStarting);
		return status(name);
	}

	@Override
	public void setNodeRulesExempt(String name, boolean exempt) {
		VeSpec.checkName(name);
		firewalls.setExempt(existing(name), exempt, runner::runningOrStarting);
	}

	@Override
	public boolean nodeRulesExempt(String name) {
		VeSpec.checkName(name);
		return existing(name).nodeRulesExempt();
	}

	@Override
	public List<NodeRule> nodeFirewall() {
		return nodeSetup.nodeRules();
	}

	@Override
	public void setNodeFirewall(List<NodeRule> rules) {
		try (var engineLock = locks.acquire(ENGINE_LOCK, settings.lockWait())) {
			nodeSetup.setNodeRules(rules);
		}
	}

	@Override
	public Optional<String> outboundNat() {
		return nodeSetup.outboundNat();
	}

	@Override
	public void setOutboundNat(Optional<String> device) {
		try (var engineLock = locks.acquire(ENGINE_LOCK, settings.lockWait())) {
			nodeSetup.setOutboundNat(device);
		}
	}

	@Override
	public VeUsage usage(String name) {
		VeSpec.checkName(name);
		return usageReader.read(existing(name));
	}

	// ---- reading ----

	@Override
	public VeStatus status(String name) {
		VeSpec.checkName(name);
		return status(existing(name));
	}

	private static String stopReason(VeDirectory ve) {
		if (VeCheckpoint.exists(ve)) {
			return "saved by a checkpoint: its next start restores it as it was";
		}
		return ve.stopReason();
	}

	private VeStatus status(VeDirectory ve) {
		VeDirectory.Summary record = ve.summary();
		String operation = ve.currentOperation().orElse("");
		OptionalLong init = ve.livePid("init.pid");
		VeState state = !operation.isEmpty() ? VeState.BUSY : runner.state(ve, init);
		return new VeStatus(ve.name(), state, record.template(), record.hostname(),
				state == VeState.STOPPED ? OptionalLong.empty() : init, record.uidBase(), operation,
				state == VeState.STOPPED ? stopReason(ve) : "");
	}

	@Override
	public List<VeStatus> list() {
		List<VeStatus> all = new ArrayList<>();
		for (String name : names()) {
			all.add(status(directory(name)));
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
	public void exportTemplate(String name, Path archive) {
		workshop.export(name, archive);
	}

	@Override
	public void deleteTemplate(String name) {
		workshop.delete(name, () -> locks.acquire(ENGINE_LOCK, settings.lockWait()), this::list);
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
		VeDirectory instance = runner.state(ve) != VeState.STOPPED ? ve : ve.hold();
		String[] held = instance.readState("disk").split(" ");
		Path disk = Path.of("/proc", held[1], "fd", held[2]);
		return new Layer(disk.resolve("upper"), disk.resolve("snapshots"), uidBase);
	}

	private volatile LinuxVeSnapshots snapshots;

	private volatile LinuxVeMigrations migrations;

	private volatile LinuxVeCheckpoints checkpoints;

	@Override
	public VeCheckpoints checkpoints() {
		if (checkpoints == null) {
			checkpoints = new LinuxVeCheckpoints(this, runner);
		}
		return checkpoints;
	}

	@Override
	public VeMigrations migrations() {
		if (migrations == null) {
			migrations = new LinuxVeMigrations(this, ves, locks, runner,
					() -> locks.acquire(ENGINE_LOCK, settings.lockWait()), settings.lockWait());
		}
		return migrations;
	}

	Template template(String name) {
		return templates.get(name);
	}

	void checkDiskFits(long bytes) {
		diskQuota.checkFits(bytes);
	}

	@Override
	public VeSnapshots snapshots() {
		if (snapshots == null) {
			snapshots = new LinuxVeSnapshots(this, launcher);
		}
		return snapshots;
	}

	/** The helpers' cgroup of a VE (see {@link HelperCgroup#open}). */
	HelperCgroup helperCgroup(String name) {
		return HelperCgroup.open(existing(name), cgroups, runner);
	}

	/**
	 * Runs {@code action} with every process of the VE frozen (the caller holds the VE's lock); a VE its owner
	 * suspended stays so. Returns how long the VE was frozen.
	 */
	Duration whileFrozen(String name, Runnable action) {
		return runner.whileFrozen(existing(name), action);
	}

	private VeLocks.Held yieldingLock(String name) {
		return locks.yielding(directory(name), settings.lockWait());
	}

	VeLocks.Held winningLock(String name) {
		return locks.winning(directory(name), settings.lockWait());
	}

	/** The VE's directory, for the engine's other parts (its backups). */
	VeDirectory directoryOf(String name) {
		VeSpec.checkName(name);
		return existing(name);
	}

	private VeDirectory directory(String name) {
		return new VeDirectory(ves.resolve(name));
	}

	VeDirectory existing(String name) {
		VeDirectory ve = directory(name);
		if (!Files.exists(ve.properties())) {
			throw new EngineException.NotFound("name: there is no VE named '" + name + "'");
		}
		return ve;
	}

	private static void chown(Path path, long uid) throws IOException {
		Ownership.chown(path, uid);
	}
}
