// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

import org.cairn.engine.network.VeNetwork;

/**
 * One VE's files under {@code ROOT/ves/NAME}: its record (ve.properties), its writable layer (upper, work),
 * the mount points used inside its own mount namespace, the supervisor's state and the console log.
 */
record VeDirectory(Path dir) {

	/** What the engine records of a VE. */
	record Record(String name, String template, String hostname, long uidBase, ResourceLimits limits,
			VeNetwork network, String id, boolean nesting) {

		Record withLimits(ResourceLimits newLimits) {
			return new Record(name, template, hostname, uidBase, newLimits, network, id, nesting);
		}

		Record withHostname(String newHostname) {
			return new Record(name, template, newHostname, uidBase, limits, network, id, nesting);
		}

		Record withNesting(boolean on) {
			return new Record(name, template, hostname, uidBase, limits, network, id, on);
		}

		Record withUidBase(long newBase) {
			return new Record(name, template, hostname, newBase, limits, network, id, nesting);
		}

		Record withNetwork(VeNetwork newNetwork) {
			return new Record(name, template, hostname, uidBase, limits, newNetwork, id, nesting);
		}
	}

	Path properties() {
		return dir.resolve("ve.properties");
	}

	/** The writable layer: in the VE's disk image when it has one, else a plain directory. */
	Path upper() {
		return Files.exists(diskImage()) ? disk().resolve("upper") : dir.resolve("upper");
	}

	Path work() {
		return Files.exists(diskImage()) ? disk().resolve("work") : dir.resolve("work");
	}

	/** The VE's ext4 image (its disk quota), if it has one. */
	Path diskImage() {
		return dir.resolve("disk.img");
	}

	/** Where the disk image is mounted, inside the VE's mount namespace only. */
	Path disk() {
		return dir.resolve("disk");
	}

	Path merged() {
		return dir.resolve("merged");
	}

	Path idmapped() {
		return dir.resolve("idmapped");
	}

	Path state() {
		return dir.resolve("state");
	}

	/** The VE's inbound firewall, as lines (see {@link org.cairn.engine.firewall.Firewall}); none: open. */
	Path firewallFile() {
		return dir.resolve("firewall");
	}

	org.cairn.engine.firewall.Firewall firewall() {
		try {
			return Files.exists(firewallFile()) ? org.cairn.engine.firewall.Firewall.parse(Files.readAllLines(firewallFile()))
					: org.cairn.engine.firewall.Firewall.OPEN;
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + firewallFile() + ": " + ex.getMessage(), ex);
		}
	}

	/** Present when an admin exempted the VE from the node-wide firewall rules. */
	Path nodeRulesExemptFile() {
		return dir.resolve("node-rules-exempt");
	}

	boolean nodeRulesExempt() {
		return Files.exists(nodeRulesExemptFile());
	}

	/** The script that builds the VE's network at each start; present while a VE with addresses runs. */
	Path networkScript() {
		return state().resolve("network.sh");
	}

	/** Written once the VE's firewall chain is loaded: its network script waits for it before making its link. */
	Path firewallLoaded() {
		return state().resolve("firewall-loaded");
	}

	/** Written when the VE's firewall chain could not be loaded: its network script gives up. */
	Path firewallFailed() {
		return state().resolve("firewall-failed");
	}

	/**
	 * A held instance of the stopped VE (its root mounted, nothing of it running) for a backup or restore:
	 * a directory of its own, so that the VE never looks running meanwhile.
	 */
	VeDirectory hold() {
		return new VeDirectory(dir.resolve("hold"));
	}

	/** The most a VE's console log takes on the node (two files of half of it each), as LXC's console buffer. */
	static final long CONSOLE_BYTES = 1L << 20;

	/** The node's log of the VE's console, root's; the older half is {@code console.log.1}. */
	Path console() {
		return dir.resolve("console.log");
	}

	/** The socket through which the supervisor lets the CLI and the panel attach to the console. */
	Path consoleSocket() {
		return state().resolve("console.sock");
	}

	/** Why the VE stopped by itself, as its supervisor wrote it, or empty. */
	String stopReason() {
		try {
			Path failure = state().resolve("failure");
			return Files.isRegularFile(failure) ? Files.readString(failure).strip() : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** The VE's processes saved by CRIU (images and their seal): its next start restores them. */
	Path checkpoint() {
		return dir.resolve("checkpoint");
	}

	/** CRIU's log of the last checkpoint that failed. */
	Path checkpointLog() {
		return dir.resolve("checkpoint-failed.log");
	}

	/** A checkpoint being written; it becomes {@link #checkpoint()} once sealed. */
	Path checkpointUnderWay() {
		return dir.resolve(".checkpoint-new");
	}

	/** What a move to another node keeps on the source: the passes sent so far. */
	Path migration() {
		return dir.resolve(".migration");
	}

	/** Present from the last pass of a move on: the VE's files are on their way and it must not start here. */
	Path leaving() {
		return migration().resolve("leaving");
	}

	/** Present while a moved VE's files are given its new range of user ids here; it holds the old range's start. */
	Path pendingShift() {
		return dir.resolve("pending-uid-shift");
	}

	Path operation() {
		return dir.resolve("operation");
	}

	/** What a VE's status shows of its record: its limits and addresses are not parsed (ve list on many VEs). */
	record Summary(String template, String hostname, long uidBase) {
	}

	Summary summary() {
		Properties p = load();
		return new Summary(p.getProperty("template"), p.getProperty("hostname"), Long.parseLong(p.getProperty("uid-base")));
	}

	Record read() {
		Properties p = load();
		return new Record(p.getProperty("name"), p.getProperty("template"), p.getProperty("hostname"),
				Long.parseLong(p.getProperty("uid-base")), ResourceLimits.load(p), VeNetwork.load(p),
				// a VE made before ids existed: its uid range, which no other VE has while it exists
				p.getProperty("id", "u" + p.getProperty("uid-base")), Boolean.parseBoolean(p.getProperty("nesting", "false")));
	}

	private Properties load() {
		Properties p = new Properties();
		try (Reader in = Files.newBufferedReader(properties())) {
			p.load(in);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + properties() + ": " + ex.getMessage(), ex);
		}
		return p;
	}

	void write(Record record) throws IOException {
		Properties p = new Properties();
		p.setProperty("name", record.name());
		p.setProperty("template", record.template());
		p.setProperty("hostname", record.hostname());
		p.setProperty("uid-base", Long.toString(record.uidBase()));
		p.setProperty("id", record.id());
		p.setProperty("nesting", Boolean.toString(record.nesting()));
		record.limits().store(p);
		record.network().store(p);
		// written aside and renamed: a crash never leaves a half record
		Path tmp = dir.resolve(".ve.properties.tmp");
		try (Writer out = Files.newBufferedWriter(tmp)) {
			p.store(out, "Cairn VE");
		}
		Files.move(tmp, properties(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	/** The operation under way (start, stop, ...) or empty. */
	Optional<String> currentOperation() {
		// most VEs have none: a look costs less than the exception a missing file throws (ve list on 1000 VEs)
		if (!Files.exists(operation())) {
			return Optional.empty();
		}
		try {
			return Optional.of(Files.readString(operation()).strip());
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + operation() + ": " + ex.getMessage(), ex);
		}
	}

	void beginOperation(String name) {
		try {
			Files.writeString(operation(), name);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write " + operation() + ": " + ex.getMessage(), ex);
		}
	}

	void endOperation() {
		deleteQuietly(operation());
	}

	/** A pid the supervisor recorded, if that process is still alive. */
	OptionalLong livePid(String file) {
		try {
			long pid = Long.parseLong(Files.readString(state().resolve(file)).strip());
			return isLive(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
		}
		catch (IOException | NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * A process exists and has not ended. One that has ended but is not yet reaped (a zombie) holds no file, mount
	 * or namespace any more: a killed supervisor is reaped by the node's init, which may take its time (a minimal
	 * init in a VM reaps every second or two), and the engine does not wait for it. One read of /proc/PID/stat
	 * answers both (ProcessHandle would start a reaper thread pool for the same answer).
	 */
	private static boolean isLive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			int end = stat.lastIndexOf(')');
			return !(end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z');
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The VE's name: its folder's. */
	String name() {
		return dir.getFileName().toString();
	}

	/** A file the supervisor wrote about the current run (its disk's loop device, say). */
	String readState(String file) {
		try {
			return Files.readString(state().resolve(file)).strip();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot read " + state().resolve(file) + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * A process in the running VE's network namespace that the VE cannot move: its supervisor's holder; a VE
	 * started by an older Cairn has none, and its init stands in.
	 */
	OptionalLong networkHolder() {
		OptionalLong holder = livePid("network.pid");
		return holder.isPresent() || Files.exists(state().resolve("network.pid")) ? holder : livePid("init.pid");
	}

	/** Forgets what the last run's supervisor wrote. */
	void clearState() {
		// "failure" stays: it says why the VE stopped, until its next start
		for (String file : new String[] { "init.pid", "supervisor.pid", "network.pid", "exit",
				"stop-requested", "firewall-loaded", "firewall-failed" }) {
			deleteQuietly(state().resolve(file));
		}
	}

	static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// a leftover state file is overwritten or ignored next time
		}
	}
}
