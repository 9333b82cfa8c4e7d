// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.cairn.engine.EngineException;
import org.cairn.engine.NodeCapacity;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeBackups;
import org.cairn.engine.VeConsole;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeReading;
import org.cairn.engine.VeSnapshots;
import org.cairn.engine.VeSpec;
import org.cairn.engine.VeStatus;
import org.cairn.engine.VeUsage;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.Template;
import org.cairn.node.RemoteVeEngine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet as one engine for the rest of the panel: an operation on a VE goes to the engine of the node that holds
 * it ({@link FleetEngines#holding}); what concerns a node as a whole (its firewall, NAT, templates, capacity) is the
 * panel's own node's, and the nodes page asks each node for its own. The list is every node's VEs; a node that does
 * not answer is left out of it (its VEs show as unreachable where they are asked for by name).
 */
public class FleetVeEngine implements VeEngine {

	private static final Logger log = LoggerFactory.getLogger(FleetVeEngine.class);

	private final FleetEngines engines;

	private final FleetNodes nodes;

	FleetVeEngine(FleetEngines engines, FleetNodes nodes) {
		this.engines = engines;
		this.nodes = nodes;
	}

	private VeEngine at(String ve) {
		return engines.holding(ve);
	}

	@Override
	public VeStatus create(VeSpec spec) {
		return at(spec.name()).create(spec);
	}

	@Override
	public VeStatus createAndStart(VeSpec spec, boolean nesting) {
		return at(spec.name()).createAndStart(spec, nesting);
	}

	@Override
	public VeStatus start(String name) {
		return at(name).start(name);
	}

	@Override
	public VeStatus stop(String name, Duration timeout) {
		return at(name).stop(name, timeout);
	}

	@Override
	public VeStatus restart(String name, Duration timeout) {
		return at(name).restart(name, timeout);
	}

	@Override
	public VeStatus suspend(String name) {
		return at(name).suspend(name);
	}

	@Override
	public VeStatus resume(String name) {
		return at(name).resume(name);
	}

	@Override
	public void destroy(String name) {
		at(name).destroy(name);
	}

	@Override
	public VeStatus status(String name) {
		return at(name).status(name);
	}

	@Override
	public VeStatus reinstall(String name, String template, @Nullable String rootPassword, @Nullable String sshKey,
			Duration timeout) {
		return at(name).reinstall(name, template, rootPassword, sshKey, timeout);
	}

	@Override
	public void setRootAccess(String name, @Nullable String rootPassword, @Nullable String sshKey) {
		at(name).setRootAccess(name, rootPassword, sshKey);
	}

	@Override
	public VeStatus setHostname(String name, String hostname) {
		return at(name).setHostname(name, hostname);
	}

	@Override
	public ResourceLimits limits(String name) {
		return at(name).limits(name);
	}

	@Override
	public VeStatus set(String name, ResourceLimits limits) {
		return at(name).set(name, limits);
	}

	@Override
	public VeNetwork network(String name) {
		return at(name).network(name);
	}

	@Override
	public VeStatus setNetwork(String name, VeNetwork network) {
		return at(name).setNetwork(name, network);
	}

	@Override
	public Firewall firewall(String name) {
		return at(name).firewall(name);
	}

	@Override
	public VeStatus setFirewall(String name, Firewall firewall) {
		return at(name).setFirewall(name, firewall);
	}

	@Override
	public List<NodeRule> nodeFirewall() {
		return engines.local().nodeFirewall();
	}

	@Override
	public void setNodeFirewall(List<NodeRule> rules) {
		engines.local().setNodeFirewall(rules);
	}

	@Override
	public void setNodeRulesExempt(String name, boolean exempt) {
		at(name).setNodeRulesExempt(name, exempt);
	}

	@Override
	public boolean nodeRulesExempt(String name) {
		return at(name).nodeRulesExempt(name);
	}

	@Override
	public Optional<String> outboundNat() {
		return engines.local().outboundNat();
	}

	@Override
	public void setOutboundNat(Optional<String> device) {
		engines.local().setOutboundNat(device);
	}

	@Override
	public VeUsage usage(String name) {
		return at(name).usage(name);
	}

	@Override
	public List<VeStatus> list() {
		List<VeStatus> all = new ArrayList<>(engines.local().list());
		everyRemote(node -> all.addAll(node.list()));
		return all;
	}

	/** The panel's node's readings, then each node's, one call per node (a node that does not answer is left out). */
	@Override
	public List<VeReading> readings() {
		List<VeReading> all = new ArrayList<>(engines.local().readings());
		everyRemote(node -> all.addAll(node.readings()));
		return all;
	}

	/**
	 * The live state of every VE, by engine name, with one list per node: a VE of a node that does not answer (or
	 * did not at its last health check, which is not waited for again) is "unreachable"; one no node has is absent.
	 */
	public Map<String, String> states() {
		Map<String, String> states = new java.util.HashMap<>();
		engines.local().list().forEach(s -> states.put(s.name(), s.state().label()));
		for (FleetNode node : nodes.all()) {
			if (!node.joined()) {
				continue;
			}
			try {
				if (node.health().error() != null) {
					throw new EngineException.Unreachable(node.name(), new java.io.IOException(node.health().error()));
				}
				engines.remote(node.id()).list().forEach(s -> states.put(s.name(), s.state().label()));
			}
			catch (EngineException.Unreachable ex) {
				engines.vesOn(node.id()).forEach(name -> states.put(name, "unreachable"));
			}
		}
		return states;
	}

	/** Does {@code work} with each joined node's engine; a node that does not answer is left out. */
	private void everyRemote(Consumer<RemoteVeEngine> work) {
		for (FleetNode node : nodes.all()) {
			if (node.joined()) {
				try {
					work.accept(engines.remote(node.id()));
				}
				catch (EngineException.Unreachable ex) {
					log.debug("Node {} left out: {}", node.name(), ex.getMessage());
				}
			}
		}
	}

	@Override
	public ProcessBuilder exec(String name, List<String> command, boolean tty) {
		return at(name).exec(name, command, tty);
	}

	@Override
	public VeConsole console(String name, List<String> command, int rows, int cols) {
		return at(name).console(name, command, rows, cols);
	}

	@Override
	public VeConsole attachConsole(String name) {
		return at(name).attachConsole(name);
	}

	@Override
	public String consoleLog(String name, int maxBytes) {
		return at(name).consoleLog(name, maxBytes);
	}

	@Override
	public List<Template> templates() {
		return engines.local().templates();
	}

	@Override
	public Template buildTemplate(String name, Consumer<String> progress) {
		return engines.local().buildTemplate(name, progress);
	}

	@Override
	public List<String> templateBuilders() {
		return engines.local().templateBuilders();
	}

	@Override
	public Template importTemplate(String name, Path archive, long maxBytes, String from, Consumer<String> progress) {
		return engines.local().importTemplate(name, archive, maxBytes, from, progress);
	}

	@Override
	public void exportTemplate(String name, Path archive) {
		engines.local().exportTemplate(name, archive);
	}

	@Override
	public void deleteTemplate(String name) {
		engines.local().deleteTemplate(name);
	}

	@Override
	public VeBackups backups() {
		return new RoutedBackups();
	}

	@Override
	public void setNesting(String name, boolean on) {
		at(name).setNesting(name, on);
	}

	@Override
	public boolean nesting(String name) {
		return at(name).nesting(name);
	}

	/** A move names both its nodes: {@link org.cairn.panel.fleet.VeMoves} asks each node's engine for its half. */
	@Override
	public org.cairn.engine.VeMigrations migrations() {
		throw new EngineException("migrate: a move is driven node by node (each node's engine), not through the fleet");
	}

	@Override
	public org.cairn.engine.VeCheckpoints checkpoints() {
		return new org.cairn.engine.VeCheckpoints() {

			@Override
			public VeStatus checkpoint(String ve) {
				return at(ve).checkpoints().checkpoint(ve);
			}

			@Override
			public VeStatus restore(String ve) {
				return at(ve).checkpoints().restore(ve);
			}

			@Override
			public java.util.Optional<org.cairn.engine.VeCheckpoint> saved(String ve) {
				return at(ve).checkpoints().saved(ve);
			}

			@Override
			public void discard(String ve) {
				at(ve).checkpoints().discard(ve);
			}

			@Override
			public java.util.Optional<String> unavailable() {
				return engines.local().checkpoints().unavailable();
			}
		};
	}

	@Override
	public VeSnapshots snapshots() {
		return new VeSnapshots() {

			@Override
			public Snapshot create(String ve, String name) {
				return at(ve).snapshots().create(ve, name);
			}

			@Override
			public List<Snapshot> list(String ve) {
				return at(ve).snapshots().list(ve);
			}

			@Override
			public void rollback(String ve, String name) {
				at(ve).snapshots().rollback(ve, name);
			}

			@Override
			public void delete(String ve, String name) {
				at(ve).snapshots().delete(ve, name);
			}
		};
	}

	@Override
	public NodeCapacity capacity() {
		return engines.local().capacity();
	}

	@Override
	public String cgroupVersion() {
		return engines.local().cgroupVersion();
	}

	/** A VE's backups on the node that holds it; the repository-wide calls are the panel's own node's. */
	private final class RoutedBackups implements VeBackups {

		private VeBackups of(String ve) {
			return at(ve).backups();
		}

		private VeBackups local() {
			return engines.local().backups();
		}

		@Override
		public Snapshot create(String ve, @Nullable String tag) {
			return of(ve).create(ve, tag);
		}

		@Override
		public ConsistentBackup createConsistent(String ve, @Nullable String tag) {
			return of(ve).createConsistent(ve, tag);
		}

		@Override
		public List<Snapshot> list(String ve) {
			return of(ve).list(ve);
		}

		@Override
		public List<SnapshotEntry> files(String ve, String snapshot, String path) {
			return of(ve).files(ve, snapshot, path);
		}

		@Override
		public String restore(String ve, String snapshot, String path, @Nullable String to) {
			return of(ve).restore(ve, snapshot, path, to);
		}

		@Override
		public void restoreWhole(String ve, String snapshot) {
			of(ve).restoreWhole(ve, snapshot);
		}

		@Override
		public List<Snapshot> forget(String ve, RetentionPolicy policy) {
			return of(ve).forget(ve, policy);
		}

		@Override
		public String check(boolean readData) {
			return local().check(readData);
		}

		@Override
		public void schedule(String ve, @Nullable LocalTime time) {
			of(ve).schedule(ve, time);
		}

		/** Every node's schedules: the backup scheduler keeps them in line with the plans. */
		@Override
		public Map<String, LocalTime> schedules() {
			Map<String, LocalTime> all = new java.util.HashMap<>(local().schedules());
			everyRemote(node -> all.putAll(node.backups().schedules()));
			return all;
		}

		@Override
		public List<ScheduledBackup> runScheduled(ZonedDateTime now) {
			return local().runScheduled(now);
		}

		/** The VEs whose backup is due on every node that answers; each node hands each one out once. */
		@Override
		public List<String> takeDue(ZonedDateTime now) {
			List<String> due = new ArrayList<>(local().takeDue(now));
			everyRemote(node -> due.addAll(node.backups().takeDue(now)));
			return due;
		}

		@Override
		public ScheduledBackup runScheduled(String ve) {
			return of(ve).runScheduled(ve);
		}

		@Override
		public String repository() {
			return local().repository();
		}

		@Override
		public long storedBytes() {
			return local().storedBytes();
		}
	}
}
