// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.fleet.FleetEngines;
import org.cairn.panel.fleet.FleetNode;
import org.cairn.panel.fleet.FleetNodes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An admin's move of a VE to another node, cold ({@link org.cairn.engine.migration.Move}): a job of the VE's owner's, who sees the VE as
 * "moving" until it runs on its new node. Its steps are recorded in {@code ve_move}: while the VE is the source's
 * (COPYING, then STOPPED), a failure calls the move off and the VE runs on the source again; once the target
 * started it (ARRIVED, recorded with the VE's new node in one transaction), it is the target's, and what is left
 * on the source is removed. The VE never runs on two nodes (the source refuses to start it from its last pass on)
 * and never on none: a node that does not answer leaves the job to its watch ({@link JobLeases}), which takes it
 * up from its step when the node is back, here or on another panel instance.
 */
@Service
public class VeMoves {

	private static final Logger log = LoggerFactory.getLogger(VeMoves.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	/** The name by which the panel's own machine is chosen as a target. */
	public static final String LOCAL = "local";

	enum Step {
		COPYING, STOPPED, ARRIVED, CALLING_OFF, LEFTOVER
	}

	private record Move(long jobId, long veId, String name, String hostname, @Nullable Long source,
			@Nullable Long target, boolean wasRunning, boolean live, Step step) {
	}

	private final VeRepository ves;

	private final JobRepository jobs;

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final JobLeases leases;

	private final FleetEngines engines;

	private final FleetNodes nodes;

	private final ApplicationEventPublisher events;

	private final JobProgress progress;

	private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

	VeMoves(VeRepository ves, JobRepository jobs, JdbcClient jdbc, TransactionTemplate tx, JobLeases leases,
			FleetEngines engines, FleetNodes nodes, ApplicationEventPublisher events, JobProgress progress) {
		this.progress = progress;
		this.ves = ves;
		this.jobs = jobs;
		this.jdbc = jdbc;
		this.tx = tx;
		this.leases = leases;
		this.engines = engines;
		this.nodes = nodes;
		this.events = events;
	}

	/**
	 * Moves the VE to the node named {@code nodeName} ({@link #LOCAL}: the panel's own machine), as a job. Refused,
	 * naming the field, when the VE is not ready, the node is unknown, the VE's, not joined or taking no VEs, or one
	 * of the VE's addresses comes from a pool that does not serve that node.
	 */
	public JobView move(long veId, @Nullable String nodeName, String actor) {
		return move(veId, nodeName, false, actor);
	}

	/**
	 * As {@link #move(long, String, String)}; {@code live}: a running VE's processes go with it (a checkpoint on the
	 * source, restored on the target) instead of a stop and a boot. Refused, naming the field, when a node of the two
	 * cannot checkpoint VEs.
	 */
	public JobView move(long veId, @Nullable String nodeName, boolean live, String actor) {
		Ve ve = ves.findById(veId).orElseThrow(() -> new VeNotFoundException("VE", veId));
		if (ve.getStatus() != Ve.Status.READY) {
			throw new VeException("ve", "the VE is " + ve.getStatus().name().toLowerCase() + "; it can be moved once"
					+ " that is done");
		}
		Long target = target(nodeName);
		if (java.util.Objects.equals(target, ve.getNodeId())) {
			throw new VeException("node", "the VE is on " + nodeName.strip() + " already");
		}
		checkAddressesServe(veId, target, nodeName.strip());
		checkTemplate(ve.getTemplate(), target, nodeName.strip());
		VeEngine source = engines.of(ve.getNodeId());
		if (live) {
			checkCheckpoints(source, "the VE's node");
			checkCheckpoints(engines.of(target), nodeName.strip());
		}
		boolean running;
		try {
			running = source.status(ve.getEngineName()).state() != VeState.STOPPED;
		}
		catch (EngineException.Unreachable ex) {
			throw new VeException("ve", "the VE's node does not answer; it can be moved once it does");
		}
		Job job = tx.execute(status -> {
			Ve fresh = ves.findById(veId).orElseThrow(() -> new VeNotFoundException("VE", veId));
			if (fresh.getStatus() != Ve.Status.READY) {
				throw new VeException("ve", "the VE is " + fresh.getStatus().name().toLowerCase());
			}
			fresh.setStatus(Ve.Status.MOVING);
			Job saved = jobs.save(new Job(fresh.getOwnerId(), fresh, "migrate"));
			jdbc.sql("""
					insert into ve_move (job_id, ve_id, source_node_id, target_node_id, was_running, live, step)
					values (?, ?, ?, ?, ?, ?, 'COPYING')""")
				.params(saved.getId(), veId, ve.getNodeId(), target, running, live)
				.update();
			return saved;
		});
		long jobId = job.getId();
		JobLeases.Lease lease = leases.take(jobId);
		runner.submit(() -> {
			try (lease) {
				if (!run(jobId, actor)) {
					lease.handOver();
				}
			}
		});
		return JobView.of(job);
	}

	private static void checkCheckpoints(VeEngine engine, String node) {
		java.util.Optional<String> why;
		try {
			why = engine.checkpoints().unavailable();
		}
		catch (EngineException.Unreachable ex) {
			throw new VeException("node", node + " does not answer; the VE can be moved once it does");
		}
		why.ifPresent(reason -> {
			throw new VeException("live", "a live move needs checkpoints on both nodes, and on " + node + " " + reason
					+ "; a cold move works");
		});
	}

	/** The node's id (null: the panel's own machine), checked. */
	private @Nullable Long target(@Nullable String nodeName) {
		if (nodeName == null || nodeName.isBlank()) {
			throw new VeException("node", "name the node to move the VE to");
		}
		String name = nodeName.strip();
		if (name.equals(LOCAL)) {
			if (!engines.hasLocalNode()) {
				throw new VeException("node", "the panel's own machine takes no VEs (cairn.fleet.local-node)");
			}
			return null;
		}
		FleetNode node = nodes.all().stream().filter(n -> n.name().equals(name)).findFirst()
			.orElseThrow(() -> new VeException("node", "there is no node named " + name));
		if (!node.joined()) {
			throw new VeException("node", "node " + name + " has not joined yet");
		}
		if (!node.state().equals("active")) {
			throw new VeException("node", "node " + name + " is " + node.state() + " and takes no VEs");
		}
		return node.id();
	}

	/**
	 * Each address keeps its route only where its pool serves: the target (a pool of no node: the panel's own
	 * machine) or the target's group; pools of a node group span its nodes.
	 */
	private void checkAddressesServe(long veId, @Nullable Long target, String targetName) {
		String group = target == null ? null
				: nodes.get(target).map(FleetNode::group).orElse(null);
		List<String> stranded = jdbc.sql("""
				select host(a.address) || ' (pool ' || p.name || ')' from ip_address a join ip_pool p on p.id = a.pool_id
				where a.ve_id = :ve and not ((p.node_group is null and p.node_id is not distinct from :node)
				      or (p.node_group is not null and p.node_group = :group))
				union all
				select x.prefix::text || ' (pool ' || p.name || ')' from ip_prefix x join ip_pool p on p.id = x.pool_id
				where x.ve_id = :ve and not ((p.node_group is null and p.node_id is not distinct from :node)
				      or (p.node_group is not null and p.node_group = :group))""")
			.param("ve", veId)
			.param("node", target, java.sql.Types.BIGINT)
			.param("group", group, java.sql.Types.VARCHAR)
			.query(String.class)
			.list();
		if (!stranded.isEmpty()) {
			throw new VeException("node", "the VE's addresses " + String.join(", ", stranded) + " are not routed to "
					+ targetName + "; let their pool serve it (or its group) first");
		}
	}

	/** The VE's files lie over its template's: the target must have it (as its health check last listed). */
	private void checkTemplate(String template, @Nullable Long target, String targetName) {
		List<String> there = target == null ? engines.local().templates().stream().map(t -> t.name()).toList()
				: nodes.get(target).map(node -> node.health().templates()).orElse(List.of());
		if (!there.contains(template)) {
			throw new VeException("node", "node " + targetName + " does not have the template " + template
					+ "; build or copy it there first (Templates page)");
		}
	}

	/** Takes up a move whose panel instance is gone, from its step; false: a node did not answer, try later. */
	boolean settle(long jobId) {
		Optional<Move> found = load(jobId);
		if (found.isEmpty()) {
			return true;
		}
		Move move = found.get();
		return switch (move.step()) {
			case CALLING_OFF -> callOff(move, Step.CALLING_OFF, null, "system");
			case LEFTOVER -> removeLeftover(move);
			default -> run(jobId, "system");
		};
	}

	/**
	 * Runs the move from its recorded step to its end. Returns false when it must be taken up later (a node does not
	 * answer and the VE's place depends on it).
	 */
	private boolean run(long jobId, String actor) {
		Optional<Move> found = load(jobId);
		if (found.isEmpty()) {
			return true;
		}
		Move move = found.get();
		VeEngine source = engines.of(move.source());
		VeEngine target = engines.of(move.target());
		String targetName = nodeName(move.target());
		org.cairn.engine.migration.Move cold = new org.cairn.engine.migration.Move(source, target, move.name(),
				text -> progress.step(jobId, text), move.live());
		Step step = move.step();
		long downtimeStart = 0;
		org.cairn.engine.migration.Move.Stopped stopped = null;
		String detail = "";
		try {
			if (step == Step.COPYING) {
				if (move.wasRunning()) {
					cold.copyWhileRunning();
				}
				stopped = cold.stopAndCopyTheRest(STOP_TIMEOUT);
				// from the freeze or stop on
				downtimeStart = System.nanoTime() - stopped.stop().toNanos() - stopped.copy().toNanos();
				step = record(jobId, Step.STOPPED);
			}
			if (step == Step.STOPPED) {
				long arriving = System.nanoTime();
				cold.arrive(move.wasRunning());
				long now = System.nanoTime();
				long downtime = downtimeStart == 0 || !move.wasRunning() ? -1 : (now - downtimeStart) / 1_000_000;
				if (downtime >= 0 && stopped != null) {
					String stop = move.live() ? "checkpoint" : "stop";
					String start = move.live() ? "restore" : "start";
					log.info("Moved {}: down {} ms ({} {} ms, last copy {} ms, {} {} ms)", move.name(), downtime, stop,
							stopped.stop().toMillis(), stopped.copy().toMillis(), start, (now - arriving) / 1_000_000);
					detail = " (" + stop + " " + stopped.stop().toMillis() + " ms, last copy "
							+ stopped.copy().toMillis() + " ms, " + start + " " + (now - arriving) / 1_000_000 + " ms)";
				}
				tx.executeWithoutResult(status -> {
					ves.findById(move.veId()).ifPresent(ve -> {
						ve.setNodeId(move.target());
						ve.setStatus(Ve.Status.READY);
					});
					jdbc.sql("update ve_move set step = 'ARRIVED', downtime_ms = ? where job_id = ?")
						.params(downtime < 0 ? null : downtime, jobId)
						.update();
				});
				engines.moved(move.name());
				step = Step.ARRIVED;
			}
			cold.leaveSource();
			Long downtime = jdbc.sql("select downtime_ms from ve_move where job_id = ?").param(jobId)
				.query(Long.class).optional().orElse(null);
			progress.finish(jobId, true,
					"moved to " + targetName + (move.live() ? " live" : "")
							+ (downtime == null ? "" : "; down " + downtime + " ms" + detail));
			events.publishEvent(AuditedAction.success("VE_MIGRATE", "ve:" + move.hostname() + " to " + targetName)
				.withActor(actor));
			return true;
		}
		catch (RuntimeException ex) {
			log.warn("Moving {} to {} at step {}: {}", move.name(), targetName, step, ex.getMessage());
			if (step == Step.ARRIVED) {
				// the VE runs on the target; what is left on the source is removed when the source answers
				if (ex instanceof EngineException.Unreachable) {
					progress.step(jobId,
							"moved to " + targetName + "; its copy on the old node is removed when that node answers");
					return false;
				}
				progress.finish(jobId, true,
						"moved to " + targetName + "; its old copy could not be removed: " + ex.getMessage());
				return true;
			}
			return callOff(move, step, ex, actor);
		}
	}

	/**
	 * Before the target took the VE: the copy goes (and a VE the target made of it but could not start), and the VE
	 * runs on the source again. Once the source stopped it, the target may have started it (an answer lost on the
	 * way): then nothing is decided until the target answers. False when a node does not answer: the job's watch
	 * tries again later.
	 */
	private boolean callOff(Move move, Step failedAt, @Nullable RuntimeException cause, String actor) {
		VeEngine source = engines.of(move.source());
		VeEngine target = engines.of(move.target());
		boolean mayHaveArrived = failedAt != Step.COPYING;
		boolean copyRemoved = true;
		try {
			if (mayHaveArrived && arrived(target, move.name())) {
				target.destroy(move.name());
			}
			target.migrations().abandon(move.name());
		}
		catch (EngineException.Unreachable ex) {
			if (mayHaveArrived) {
				return waitFor(move, ex);
			}
			copyRemoved = false;
		}
		try {
			source.migrations().stay(move.name());
			if (move.wasRunning() && source.status(move.name()).state() == VeState.STOPPED) {
				source.start(move.name());
			}
		}
		catch (EngineException.Unreachable ex) {
			return waitFor(move, ex);
		}
		boolean removed = copyRemoved;
		tx.executeWithoutResult(status -> {
			ves.findById(move.veId()).ifPresent(ve -> ve.setStatus(Ve.Status.READY));
			if (removed) {
				jdbc.sql("delete from ve_move where job_id = ?").param(move.jobId()).update();
			}
			else {
				record(move.jobId(), Step.LEFTOVER);
			}
		});
		String why = cause == null ? "a node did not answer in the middle of it"
				: cause.getMessage() == null ? cause.toString() : cause.getMessage();
		Ve ve = ves.findById(move.veId()).orElse(null);
		String targetName = nodeName(move.target());
		progress.finish(move.jobId(), false, "not moved (it runs where it was): " + (ve == null ? why
				: VeManagement.customerTerms(why, ve)) + (removed ? ""
						: "; the partial copy on " + targetName + " is removed when it answers"));
		events.publishEvent(AuditedAction.failure("VE_MIGRATE", "ve:" + move.hostname() + " to " + targetName, why)
			.withActor(actor));
		return removed;
	}

	/** A node must answer before the VE can run anywhere again: the watch tries again. */
	private boolean waitFor(Move move, EngineException.Unreachable ex) {
		record(move.jobId(), Step.CALLING_OFF);
		progress.step(move.jobId(), "calling the move off once the node answers (" + ex.getMessage() + ")");
		return false;
	}

	/** The partial copy left on a target that did not answer, removed now (unless a newer move uses it). */
	private boolean removeLeftover(Move move) {
		boolean newer = jdbc.sql("select count(*) from ve_move where ve_id = ? and job_id > ?")
			.params(move.veId(), move.jobId())
			.query(Long.class)
			.single() > 0;
		if (!newer) {
			try {
				engines.of(move.target()).migrations().abandon(move.name());
			}
			catch (EngineException.Unreachable ex) {
				return false;
			}
		}
		jdbc.sql("delete from ve_move where job_id = ?").param(move.jobId()).update();
		return true;
	}

	/** Whether the target made a VE of the copy (as opposed to still receiving it). */
	private static boolean arrived(VeEngine target, String name) {
		try {
			target.status(name);
			return true;
		}
		catch (EngineException.NotFound ex) {
			return false;
		}
	}

	private Optional<Move> load(long jobId) {
		return jdbc.sql("""
				select m.job_id, m.ve_id, v.engine_name, v.hostname, m.source_node_id, m.target_node_id, m.was_running,
				       m.live, m.step
				from ve_move m join ve v on v.id = m.ve_id where m.job_id = ?""")
			.param(jobId)
			.query((rs, row) -> new Move(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
					(Long) rs.getObject(5), (Long) rs.getObject(6), rs.getBoolean(7), rs.getBoolean(8),
					Step.valueOf(rs.getString(9))))
			.optional();
	}

	private Step record(long jobId, Step step) {
		jdbc.sql("update ve_move set step = ? where job_id = ?").params(step.name(), jobId).update();
		return step;
	}

	private String nodeName(@Nullable Long node) {
		return node == null ? LOCAL : nodes.get(node).map(FleetNode::name).orElse("node " + node);
	}

}
