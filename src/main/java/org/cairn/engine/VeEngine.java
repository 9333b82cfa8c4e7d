// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.cairn.engine.network.VeNetwork;
import org.jspecify.annotations.Nullable;
import org.cairn.engine.template.Template;

/**
 * The engine's one facade: the life of Virtual Environments on this node. One operation per VE at a time,
 * also between processes sharing a root (the panel and the CLI); a second one waits for the first.
 * VEs outlive the process that started them and are adopted by the next engine opened on the same root.
 */
public interface VeEngine {

	/** Opens the engine on a root, repairing what an interrupted operation left behind. */
	static VeEngine open(EngineSettings settings) {
		return LinuxVeEngine.open(settings, true);
	}

	/**
	 * Opens the engine to look at VEs or run a command in one, leaving the repairs to the next {@link #open}
	 * (the panel's start, a verb that changes something): they visit every VE, and a node admin's {@code cairn ve
	 * status} should not cost more on a node of 1000 VEs.
	 */
	static VeEngine openWithoutRepairs(EngineSettings settings) {
		return LinuxVeEngine.open(settings, false);
	}

	VeStatus create(VeSpec spec);

	/**
	 * Makes the VE, turns nesting on when asked, and starts it: a customer's new VE, in one call, so that a node
	 * away from the panel is asked once. A failure after the files were made leaves the VE there; the caller
	 * destroys it.
	 */
	default VeStatus createAndStart(VeSpec spec, boolean nesting) {
		create(spec);
		if (nesting) {
			setNesting(spec.name(), true);
		}
		return start(spec.name());
	}

	VeStatus start(String name);

	/** Asks the VE's init to power off, then kills what is left after {@code timeout}. */
	VeStatus stop(String name, Duration timeout);

	VeStatus restart(String name, Duration timeout);

	/** Freezes every process of the VE. */
	VeStatus suspend(String name);

	VeStatus resume(String name);

	/** Removes everything the VE had: processes, cgroups, files. Its name can be used again. */
	void destroy(String name);

	VeStatus status(String name);

	/**
	 * Replaces the VE's files by a fresh copy of a template (every file is lost), keeping its name, host name,
	 * limits, addresses and backups; a VE that ran is started again.
	 */
	VeStatus reinstall(String name, String template, @Nullable String rootPassword, @Nullable String sshKey,
			Duration timeout);

	/** Sets root's password and/or replaces root's authorized SSH keys, running or stopped. */
	void setRootAccess(String name, @Nullable String rootPassword, @Nullable String sshKey);

	/**
	 * Changes the VE's host name: /etc/hostname, its names in /etc/hosts, and its live name when it runs and has a
	 * {@code hostname} program (else at its next start).
	 */
	VeStatus setHostname(String name, String hostname);

	/** The limits the VE is created or last set with. */
	ResourceLimits limits(String name);

	/** Changes the VE's limits; a running VE gets them at once, without a restart. */
	VeStatus set(String name, ResourceLimits limits);

	/** The VE's addresses, name servers and egress cap. */
	VeNetwork network(String name);

	/**
	 * Changes the VE's network: a running VE gets and loses addresses and its egress cap at once. An address
	 * belongs to one VE at a time; name servers are written to /etc/resolv.conf only when the VE is made.
	 */
	VeStatus setNetwork(String name, VeNetwork network);

	/** The VE's inbound firewall; {@link org.cairn.engine.firewall.Firewall#OPEN} until one is set. */
	org.cairn.engine.firewall.Firewall firewall(String name);

	/**
	 * Replaces the VE's inbound firewall: on a running VE at once, in one nftables transaction (established
	 * connections stay when the firewall lets established traffic in), and at each later start.
	 */
	VeStatus setFirewall(String name, org.cairn.engine.firewall.Firewall firewall);

	/** The admin's node-wide rules, which drop before any VE's own firewall is read. */
	java.util.List<org.cairn.engine.firewall.NodeRule> nodeFirewall();

	void setNodeFirewall(java.util.List<org.cairn.engine.firewall.NodeRule> rules);

	/** Whether the node-wide rules pass over this VE (a customer trusted to send mail, say); at once. */
	void setNodeRulesExempt(String name, boolean exempt);

	boolean nodeRulesExempt(String name);

	/** The interface through which VEs with private addresses reach out, translated; empty: NAT is off. */
	Optional<String> outboundNat();

	/**
	 * Outbound NAT, a node setting (off by default): VEs with private addresses (10/8, 172.16/12, 192.168/16,
	 * 100.64/10) leave through {@code device} with its address. Empty turns it off.
	 */
	void setOutboundNat(Optional<String> device);

	/**
	 * What the VE uses now, without waiting: CPU % is over the time since the previous call for the same VE,
	 * and -1 on the first.
	 */
	VeUsage usage(String name);

	List<VeStatus> list();

	/**
	 * Every running VE's state and usage, for one round of sampling: on another node, one call that the node answers
	 * by itself. A VE that stops meanwhile is left out.
	 */
	default List<VeReading> readings() {
		List<VeReading> readings = new java.util.ArrayList<>();
		for (VeStatus status : list()) {
			if (status.state() == VeState.RUNNING) {
				try {
					readings.add(new VeReading(status, usage(status.name())));
				}
				catch (EngineException.NotFound | EngineException.Busy ex) {
					// stopped or destroyed meanwhile
				}
			}
		}
		return readings;
	}

	/**
	 * A process builder for a command run in every namespace of a running VE, as the VE's root. The caller
	 * chooses its input and output and starts it; its exit code is the command's.
	 */
	default ProcessBuilder exec(String name, List<String> command) {
		return exec(name, command, false);
	}

	/**
	 * As {@link #exec(String, List)}; with {@code tty} the command gets a terminal inside the VE (as
	 * {@code ssh -t} does), relayed to the process's standard input and output.
	 */
	ProcessBuilder exec(String name, List<String> command, boolean tty);

	/**
	 * A terminal into the running VE with {@code command} (a login shell, say) as its root, {@code rows} by
	 * {@code cols}; for a console in a browser. A stopped or suspended VE is refused with a message that says so.
	 */
	VeConsole console(String name, List<String> command, int rows, int cols);

	/**
	 * The VE's own console ({@code /dev/console}, where its init and getty write), through its supervisor: what
	 * the console prints comes out, what is written goes in. Several may attach; closing one detaches it and the
	 * VE goes on. A stopped VE is refused with a message that says so.
	 */
	VeConsole attachConsole(String name);

	/** The end of what the VE's console printed, at most {@code maxBytes}, from the node's capped log. */
	String consoleLog(String name, int maxBytes);

	List<Template> templates();

	/** Builds (or rebuilds) a template: one of {@link #templateBuilders()}. */
	default Template buildTemplate(String name) {
		return buildTemplate(name, line -> {
		});
	}

	/**
	 * As {@link #buildTemplate(String)}, telling {@code progress} each step and each line its tools print. VEs
	 * that run keep the previous build until they restart; then they see the new one under their own changes.
	 */
	Template buildTemplate(String name, java.util.function.Consumer<String> progress);

	/** The templates this engine can build. */
	List<String> templateBuilders();

	/**
	 * Makes a template of an admin's archive (a root file system tar, or an OCI image archive), checked as it is
	 * written; a refused one leaves nothing behind.
	 * @param maxBytes the most its files may hold
	 * @param from how the template's description names where it came from (the file's name)
	 */
	Template importTemplate(String name, java.nio.file.Path archive, long maxBytes, String from,
			java.util.function.Consumer<String> progress);

	/**
	 * Writes a template to {@code archive} as {@link #importTemplate} takes it back (a zstd-compressed tar): how a
	 * template is copied to another node.
	 */
	void exportTemplate(String name, java.nio.file.Path archive);

	/** Deletes a template no VE uses; refused, naming them, while some do. */
	void deleteTemplate(String name);

	/** Backups of this node's VEs and their restores. */
	VeBackups backups();

	/**
	 * Lets the VE's root make user and network namespaces of its own (Podman, Docker, crun inside it), or not;
	 * from its next start. Off by default.
	 */
	void setNesting(String name, boolean on);

	boolean nesting(String name);

	/** Snapshots of this node's VEs, kept on the node, and rollbacks to them. */
	VeSnapshots snapshots();

	/** Moving this node's VEs to another node, and taking in those of another. */
	VeMigrations migrations();

	/** Saving a running VE to disk and back (CRIU). */
	VeCheckpoints checkpoints();

	/** The node's RAM, CPUs and disk. */
	NodeCapacity capacity();

	/** "v1" or "v2": the cgroup driver in use. */
	String cgroupVersion();
}
