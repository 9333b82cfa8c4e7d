// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeSpec;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.account.PasswordPolicy;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.customer.CustomerHoldings;
import org.cairn.panel.customer.Holdings;
import org.cairn.panel.customer.Quota;
import org.cairn.panel.fleet.Placement;
import org.cairn.panel.network.IpPoolException;
import org.cairn.panel.network.IpPools;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanView;
import org.cairn.panel.system.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Customers' VEs: made, started, stopped and destroyed through the engine, within the customer's plans and
 * quota, each only by its owner. Long operations run as jobs whose progress pages and the API show. A create
 * that fails leaves no VE, in the engine or here.
 */
@Service
public class VeManagement {

	private static final Logger log = LoggerFactory.getLogger(VeManagement.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final VeRepository ves;

	private final JobRepository jobs;

	private final VeEngine engine;

	private final CustomerHoldings holdings;

	private final PlanCatalog plans;

	private final org.cairn.panel.template.TemplateOffers offers;

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

	private final SecureRandom random = new SecureRandom();

	private final IpPools pools;

	private final OperationSlots slots;

	private final Placement placement;

	private final JobLeases leases;

	VeManagement(VeRepository ves, JobRepository jobs, @Lazy VeEngine engine, CustomerHoldings holdings,
			PlanCatalog plans, JdbcClient jdbc, TransactionTemplate tx, ApplicationEventPublisher events, IpPools pools,
			OperationSlots slots, org.cairn.panel.template.TemplateOffers offers, Placement placement, JobLeases leases) {
		this.leases = leases;
		this.offers = offers;
		this.placement = placement;
		this.slots = slots;
		this.pools = pools;
		this.ves = ves;
		this.jobs = jobs;
		this.engine = engine;
		this.holdings = holdings;
		this.plans = plans;
		this.jdbc = jdbc;
		this.tx = tx;
		this.events = events;
	}

	/** The customer's VEs with their plans and addresses in one query, and each one's live state. */
	public List<VeSummary> of(long ownerId) {
		record Row(long id, String hostname, String template, long planId, String planName, String status,
				String engineName, String addresses, String prefixes, java.time.Instant createdAt) {
		}
		List<Row> rows = jdbc.sql("""
				select v.id, v.hostname, v.template, v.plan_id, p.name, v.status, v.engine_name,
				       (select string_agg(host(a.address), ',' order by family(a.address), a.address)
				        from (select address from ip_address where ve_id = v.id
				              union all select address from ve_prefix_address where ve_id = v.id) a),
				       (select string_agg(x.prefix::text, ',' order by x.prefix) from ip_prefix x where x.ve_id = v.id),
				       v.created_at
				from ve v join plan p on p.id = v.plan_id where v.owner_id = ? order by v.id""")
			.param(ownerId)
			.query((rs, row) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
					rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant()))
			.list();
		return rows.stream().map(row -> {
			String state = state(Ve.Status.valueOf(row.status()), row.engineName());
			return new VeSummary(row.id(), row.hostname(), row.template(), row.planId(), row.planName(), state,
					row.addresses() == null ? List.of() : List.of(row.addresses().split(",")),
					row.prefixes() == null ? List.of() : List.of(row.prefixes().split(",")), row.createdAt());
		}).toList();
	}

	public VeSummary get(long ownerId, long veId) {
		return summary(owned(ownerId, veId));
	}

	/** The engine's name of the caller's VE, for reading its usage. */
	public String engineName(long ownerId, long veId) {
		return ready(owned(ownerId, veId)).getEngineName();
	}

	public JobView job(long ownerId, long jobId) {
		return JobView.of(jobs.findByIdAndOwnerId(jobId, ownerId).orElseThrow(() -> new VeNotFoundException("job", jobId)));
	}

	/** The caller's VE; another customer's is as missing as one that does not exist. */
	public Ve owned(long ownerId, long veId) {
		return ves.findByIdAndOwnerId(veId, ownerId).orElseThrow(() -> new VeNotFoundException("VE", veId));
	}

	/** Any VE, for the support desk and admins. */
	public Ve any(long veId) {
		return ves.findById(veId).orElseThrow(() -> new VeNotFoundException("VE", veId));
	}

	/** The VE, made and not being destroyed: what backups, restores and changes need. */
	public Ve ready(Ve ve) {
		return ready(ve, "ve");
	}

	private Ve ready(Ve ve, String field) {
		if (ve.getStatus() != Ve.Status.READY) {
			throw new VeException(field, "the VE is " + state(ve.getStatus(), ve.getEngineName())
					+ "; wait until it is ready");
		}
		return ve;
	}

	public JobView job(long jobId) {
		return JobView.of(jobs.findById(jobId).orElseThrow(() -> new VeNotFoundException("job", jobId)));
	}

	public VeSummary summary(Ve ve) {
		return new VeSummary(ve.getId(), ve.getHostname(), ve.getTemplate(), ve.getPlanId(),
				plans.get(ve.getPlanId()).getName(), state(ve.getStatus(), ve.getEngineName()), pools.of(ve.getId()),
				pools.prefixesOf(ve.getId()), ve.getCreatedAt());
	}

	/** What pages show: the panel's own state while it makes or destroys the VE, else the engine's. */
	private String state(Ve.Status status, String engineName) {
		return switch (status) {
			case CREATING -> "creating";
			case DESTROYING -> "destroying";
			case MOVING -> "moving";
			case READY -> liveState(engineName);
		};
	}

	private String liveState(String engineName) {
		try {
			return engine.status(engineName).state().label();
		}
		catch (EngineException.Unreachable ex) {
			// its node does not answer: the VE most likely runs on, out of sight
			return "unreachable";
		}
		catch (EngineException ex) {
			// the engine no longer has it (destroyed from the command line): it shows as gone
			return "gone";
		}
	}

	/** Checks the request and the quota, records the VE and its job at once, then makes it in the background. */
	public JobView create(long ownerId, NewVeForm form) {
		Holdings held = holdings.of(ownerId);
		// every field's problem at once, each beside its field
		List<InputException.FieldProblem> problems = new ArrayList<>();
		PlanView plan = collect(problems, () -> {
			PlanView chosen = held.plans().stream().filter(p -> form.plan() != null && p.id() == form.plan()).findFirst()
				.orElseThrow(() -> new VeException("plan", "choose one of your plans"));
			if (chosen.retired()) {
				throw new VeException("plan", "the plan " + chosen.name() + " takes no new VEs");
			}
			return chosen;
		});
		String template = collect(problems, () -> offeredTemplate(form.template(), plan == null ? null : plans.get(plan.id())));
		String hostname = form.hostname() == null ? "" : form.hostname().strip().toLowerCase(Locale.ROOT);
		engineCheck(problems, "hostname", () -> VeSpec.checkHostname(hostname));
		Access access = collect(problems, () -> access(form.rootPassword(), form.sshKey()));
		if (access != null) {
			checkRootAccess(problems, access);
		}
		if (!problems.isEmpty()) {
			throw new VeException(problems);
		}
		String password = access.password();
		String key = access.key();
		String engineName = "ve" + HexFormat.of().formatHex(bytes(5));
		VeSpec checked = spec(engineName, template, form.hostname(), password, key, plans.get(plan.id()).limits());
		record Made(Job job, VeSpec spec) {
		}
		// taken once the quota allows the VE: a refusal by quota says so, not "too many operations"
		OperationSlots.Slot[] taken = new OperationSlots.Slot[1];
		Made made;
		try {
			made = tx.execute(status -> {
			// one create at a time per customer: the quota is counted with the new VE's row not yet there
			jdbc.sql("select id from user_account where id = ? for update").param(ownerId).query(Long.class).single();
			checkQuota(ownerId, held.quota(), plans.get(plan.id()).limits());
			taken[0] = slots.take(ownerId);
			Placement.Candidate node = placement.place(new Placement.Needs(checked.limits().memoryBytes(),
					checked.limits().diskBytes(), template, plan.ipv4Addresses(), plan.ipv6Addresses(), plan.ipv6Prefixes(),
					plan.ipv6PrefixLength(), held.nodeGroup() != null ? held.nodeGroup() : plan.nodeGroup()));
			Ve placed = new Ve(ownerId, plan.id(), engineName, checked.hostname(), template);
			placed.setNodeId(node.nodeId());
			Ve ve = ves.save(placed);
			VeNetwork network = addresses(ve.getId(), plan);
			return new Made(jobs.save(new Job(ownerId, ve, "create")), new VeSpec(checked.name(), checked.template(),
					checked.hostname(), password, key, checked.limits(), network));
			});
		}
		catch (RuntimeException ex) {
			if (taken[0] != null) {
				taken[0].close();
			}
			throw ex;
		}
		OperationSlots.Slot slot = taken[0];
		events.publishEvent(AuditedAction.success("VE_CREATE", "ve:" + checked.hostname()));
		long jobId = made.job().getId();
		boolean nesting = plans.get(plan.id()).isNesting();
		JobLeases.Lease lease = leases.take(jobId);
		runner.submit(() -> {
			try (slot; lease) {
				runCreate(jobId, made.spec(), nesting, lease);
			}
		});
		return JobView.of(made.job());
	}

	/** The plan's addresses from the node's pools, taken in the create's transaction (refused when too few). */
	private VeNetwork addresses(long veId, PlanView plan) {
		try {
			IpPools.Allocation v4 = pools.allocate(veId, 4, plan.ipv4Addresses());
			IpPools.Allocation v6 = pools.allocate(veId, 6, plan.ipv6Addresses());
			List<InetAddress> addresses = java.util.stream.Stream.concat(v4.addresses().stream(), v6.addresses().stream())
				.map(text -> VeNetwork.parseAddress("ip", text))
				.toList();
			List<InetAddress> nameservers = java.util.stream.Stream.concat(v4.nameservers().stream(),
					v6.nameservers().stream()).distinct().map(text -> VeNetwork.parseAddress("nameserver", text)).toList();
			List<Prefix> prefixes = pools.allocatePrefixes(veId, plan.ipv6Prefixes(), plan.ipv6PrefixLength())
				.stream()
				.map(text -> Prefix.parse("prefix", text))
				.toList();
			return new VeNetwork(addresses, nameservers, 0, prefixes);
		}
		catch (IpPoolException ex) {
			throw new VeException(ex.field(), ex.getMessage());
		}
	}

	private byte[] bytes(int n) {
		byte[] b = new byte[n];
		random.nextBytes(b);
		return b;
	}

	/** Root's password and/or key, blank ones left out; at least one is needed. */
	private record Access(String password, String key) {
	}

	private static <T> T collect(List<InputException.FieldProblem> problems, java.util.function.Supplier<T> check) {
		try {
			return check.get();
		}
		catch (InputException ex) {
			problems.addAll(ex.problems());
			return null;
		}
	}

	/** The engine's check of an input, as a problem of the form's {@code field}. */
	private static void engineCheck(List<InputException.FieldProblem> problems, String field, Runnable check) {
		try {
			check.run();
		}
		catch (EngineException ex) {
			problems.add(new InputException.FieldProblem(field, ex.getMessage().replaceFirst("^[a-z-]+: ", "")));
		}
	}

	/**
	 * root's password as the panel wants it (the rules of the panel's own passwords: 12 or more characters, not a
	 * common one) and the SSH keys as sshd parses them.
	 */
	private static void checkRootAccess(List<InputException.FieldProblem> problems, Access access) {
		if (access.password() != null) {
			engineCheck(problems, "rootPassword", () -> VeSpec.checkRootPassword(access.password()));
			if (problems.stream().noneMatch(p -> p.field().equals("rootPassword"))) {
				PasswordPolicy.violation(access.password(), null)
					.ifPresent(problem -> problems.add(new InputException.FieldProblem("rootPassword", problem)));
			}
		}
		if (access.key() != null) {
			engineCheck(problems, "sshKey", () -> VeSpec.checkSshKey(access.key()));
		}
	}

	/** As above, thrown at once. */
	private static void checkRootAccess(Access access) {
		List<InputException.FieldProblem> problems = new ArrayList<>();
		checkRootAccess(problems, access);
		if (!problems.isEmpty()) {
			throw new VeException(problems);
		}
	}

	private static Access access(String password, String key) {
		Access access = new Access(blankToNull(password), blankToNull(key));
		if (access.password() == null && access.key() == null) {
			throw new VeException("rootPassword", "give a root password or an SSH public key");
		}
		return access;
	}

	/** The templates the customer may choose on any of their plans that takes new VEs. */
	public List<org.cairn.engine.template.Template> offeredTemplates(long ownerId) {
		return offers.offeredBy(holdings.of(ownerId).plans().stream().filter(p -> !p.retired())
			.map(p -> plans.get(p.id())).toList());
	}

	/** The templates the VE may be reinstalled with: those its plan offers. */
	public List<org.cairn.engine.template.Template> offeredTemplates(Ve ve) {
		return offers.offeredBy(List.of(plans.get(ve.getPlanId())));
	}

	/** A template the plan offers and the admin did not hide (without a plan: one that exists). */
	private String offeredTemplate(String name, org.cairn.panel.plan.Plan plan) {
		String template = name == null ? "" : name.strip();
		if (engine.templates().stream().noneMatch(t -> t.name().equals(template))) {
			throw new VeException("template", "choose one of the templates offered");
		}
		String refusal = plan == null ? null : offers.refusal(plan, template);
		if (refusal != null) {
			throw new VeException("template", refusal);
		}
		return template;
	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text;
	}

	/** The engine's own checks of host name, password and key, reported under the form's field names. */
	private static VeSpec spec(String name, String template, String hostname, String password, String key,
			ResourceLimits limits) {
		try {
			return new VeSpec(name, template, hostname == null ? "" : hostname.strip().toLowerCase(Locale.ROOT), password,
					key, limits);
		}
		catch (EngineException ex) {
			String message = ex.getMessage();
			String field = message.startsWith("hostname") ? "hostname"
					: message.toLowerCase(Locale.ROOT).contains("key") ? "sshKey" : "rootPassword";
			throw new VeException(field, message.replaceFirst("^[a-z-]+: ", ""));
		}
	}

	private void checkQuota(long ownerId, Quota quota, ResourceLimits wanted) {
		record Use(long count, long memory, long disk, BigDecimal cpus) {
		}
		Use use = jdbc.sql("""
				select count(*), coalesce(sum(p.memory_bytes), 0), coalesce(sum(p.disk_bytes), 0), coalesce(sum(p.cpus), 0)
				from ve v join plan p on p.id = v.plan_id where v.owner_id = ?""")
			.param(ownerId)
			.query((rs, row) -> new Use(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)))
			.single();
		if (quota.maxVes() > 0 && use.count() + 1 > quota.maxVes()) {
			throw new VeException("plan", "your quota allows " + quota.maxVes() + " VEs and you have " + use.count());
		}
		if (quota.memoryBytes() > 0 && use.memory() + wanted.memoryBytes() > quota.memoryBytes()) {
			throw new VeException("plan", "this plan's memory would take you beyond your quota");
		}
		if (quota.diskBytes() > 0 && use.disk() + wanted.diskBytes() > quota.diskBytes()) {
			throw new VeException("plan", "this plan's disk would take you beyond your quota");
		}
		if (quota.cpus().signum() > 0 && use.cpus().add(BigDecimal.valueOf(wanted.cpus())).compareTo(quota.cpus()) > 0) {
			throw new VeException("plan", "this plan's CPUs would take you beyond your quota");
		}
	}

	private void runCreate(long jobId, VeSpec spec, boolean nesting, JobLeases.Lease lease) {
		step(jobId, "making the VE's files and starting it");
		try {
			engine.createAndStart(spec, nesting);
			tx.executeWithoutResult(status -> {
				ves.findByEngineName(spec.name()).ifPresent(ve -> ve.setStatus(Ve.Status.READY));
				jobs.findById(jobId).ifPresent(job -> job.succeeded("running"));
			});
		}
		catch (EngineException.Unreachable ex) {
			// whether the node made the VE only the node knows: the job is settled once it answers again (made:
			// finished; not made: undone with its addresses), until then the VE and its addresses stay taken
			log.warn("Creating the VE {}: {}; settled when the node answers", spec.name(), ex.getMessage());
			step(jobId, "node " + ex.node() + " does not answer; the VE is finished or undone when it is back");
			lease.handOver();
		}
		catch (RuntimeException ex) {
			log.warn("Creating the VE {} failed: {}", spec.name(), ex.getMessage());
			// nothing half-done: no engine VE and no record of one
			try {
				engine.destroy(spec.name());
			}
			catch (RuntimeException ignored) {
				// it was never made
			}
			tx.executeWithoutResult(status -> {
				ves.findByEngineName(spec.name()).ifPresent(ves::delete);
				jobs.findById(jobId).ifPresent(job -> job.failed(ex.getMessage() == null ? ex.toString()
						: ex.getMessage().replace(spec.name(), spec.hostname())));
			});
		}
	}

	private void step(long jobId, String progress) {
		tx.executeWithoutResult(status -> jobs.findById(jobId).ifPresent(job -> job.running(progress)));
	}

	/**
	 * start, suspend and resume at once; stop and restart as jobs. The audit log records the outcome once it is
	 * known (a job's when it ends); an action outside {@link VeAction} is refused and recorded as refused.
	 */
	public Object act(long ownerId, long veId, String action) {
		Ve ve = ready(owned(ownerId, veId), "action");
		String target = "ve:" + ve.getHostname();
		VeAction verb = VeAction.parse(action).orElse(null);
		if (verb == null) {
			String shown = action.length() > 40 ? action.substring(0, 40) + "..." : action;
			events.publishEvent(AuditedAction.failure("VE_ACTION", target, "unknown action '" + shown + "'"));
			throw new VeException("action", "'" + shown + "' is not start, stop, restart, suspend or resume");
		}
		if (verb.long_running()) {
			String actor = currentActor();
			return background(ownerId, ve, action, () -> {
				try {
					if (verb == VeAction.STOP) {
						engine.stop(ve.getEngineName(), STOP_TIMEOUT);
					}
					else {
						engine.restart(ve.getEngineName(), STOP_TIMEOUT);
					}
					events.publishEvent(AuditedAction.success(verb.audited(), target).withActor(actor));
				}
				catch (RuntimeException ex) {
					events.publishEvent(AuditedAction.failure(verb.audited(), target, String.valueOf(ex.getMessage()))
						.withActor(actor));
					throw ex;
				}
			});
		}
		try (OperationSlots.Slot slot = slots.take(ownerId)) {
			switch (verb) {
				case START -> engine.start(ve.getEngineName());
				case SUSPEND -> engine.suspend(ve.getEngineName());
				case RESUME -> engine.resume(ve.getEngineName());
				default -> throw new IllegalStateException(verb.name());
			}
		}
		catch (EngineException ex) {
			String message = customerTerms(ex.getMessage(), ve);
			events.publishEvent(AuditedAction.failure(verb.audited(), target, message));
			throw new VeException("action", message);
		}
		events.publishEvent(AuditedAction.success(verb.audited(), target));
		return summary(ve);
	}

	/** The signed-in user's name, for what is audited after the request (a job's end). */
	private static String currentActor() {
		var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext()
			.getAuthentication();
		return authentication == null ? "system" : authentication.getName();
	}

	/** An engine's message in the customer's terms: the VE by its host name, never its engine name. */
	public static String customerTerms(String message, Ve ve) {
		return message == null ? "the operation failed" : message.replace(ve.getEngineName(), ve.getHostname());
	}

	/** Replaces the VE's files by a fresh template once its owner typed its host name; files are lost. */
	public JobView reinstall(long ownerId, long veId, ReinstallForm form) {
		Ve ve = ready(owned(ownerId, veId));
		confirm(ve, form.confirmation());
		String template = offeredTemplate(form.template(), plans.get(ve.getPlanId()));
		Access access = access(form.rootPassword(), form.sshKey());
		checkRootAccess(access);
		String password = access.password();
		String key = access.key();
		spec(ve.getEngineName(), template, ve.getHostname(), password, key, ResourceLimits.NONE);
		events.publishEvent(AuditedAction.success("VE_REINSTALL", "ve:" + ve.getHostname()));
		return background(ownerId, ve, "reinstall", () -> {
			engine.reinstall(ve.getEngineName(), template, password, key, STOP_TIMEOUT);
			tx.executeWithoutResult(status -> ves.findById(ve.getId()).ifPresent(v -> v.setTemplate(template)));
		});
	}

	/**
	 * A new root password and/or SSH key, running or stopped, as a job: the engine writes them inside the VE,
	 * which a VE can make slow; the request thread never waits for it.
	 */
	public JobView setRootAccess(long ownerId, long veId, RootAccessForm form) {
		Ve ve = ready(owned(ownerId, veId));
		Access access = access(form.rootPassword(), form.sshKey());
		checkRootAccess(access);
		String password = access.password();
		String key = access.key();
		spec(ve.getEngineName(), ve.getTemplate(), ve.getHostname(), password, key, ResourceLimits.NONE);
		String actor = currentActor();
		String target = "ve:" + ve.getHostname();
		return background(ownerId, ve, "root-access", audited("VE_ROOT_ACCESS", target, actor,
				() -> engine.setRootAccess(ve.getEngineName(), password, key)));
	}

	/** A new host name, in the VE's files and, when it runs, live; as a job, as above. */
	public JobView rename(long ownerId, long veId, String hostname) {
		Ve ve = ready(owned(ownerId, veId));
		if (hostname == null || hostname.isBlank()) {
			throw new VeException("hostname", "give a host name");
		}
		String wanted = spec(ve.getEngineName(), ve.getTemplate(), hostname, null, null, ResourceLimits.NONE).hostname();
		String actor = currentActor();
		return background(ownerId, ve, "rename", audited("VE_RENAME", "ve:" + ve.getHostname() + " -> " + wanted, actor,
				() -> {
					engine.setHostname(ve.getEngineName(), wanted);
					tx.executeWithoutResult(status -> ves.findById(veId).ifPresent(v -> v.setHostname(wanted)));
				}));
	}

	/** A job's work whose outcome goes to the audit log when it is known. */
	private Runnable audited(String action, String target, String actor, Runnable work) {
		return () -> {
			try {
				work.run();
				events.publishEvent(AuditedAction.success(action, target).withActor(actor));
			}
			catch (RuntimeException ex) {
				events.publishEvent(AuditedAction.failure(action, target, String.valueOf(ex.getMessage())).withActor(actor));
				throw ex;
			}
		};
	}

	private void confirm(Ve ve, String confirmation) {
		if (confirmation == null || !confirmation.strip().equals(ve.getHostname())) {
			throw new VeException("confirmation", "type the VE's host name, " + ve.getHostname() + ", to confirm");
		}
	}

	/** Destroys the VE once its owner typed its host name to confirm; files are lost. */
	public JobView destroy(long ownerId, long veId, String confirmation) {
		Ve ve = owned(ownerId, veId);
		confirm(ve, confirmation);
		ready(ve, "confirmation");
		tx.executeWithoutResult(status -> ves.findById(veId).ifPresent(v -> v.setStatus(Ve.Status.DESTROYING)));
		events.publishEvent(AuditedAction.success("VE_DESTROY", "ve:" + ve.getHostname()));
		return background(ownerId, ve, "destroy", () -> {
			try {
				engine.destroy(ve.getEngineName());
			}
			catch (EngineException ex) {
				if (!ex.getMessage().contains("no VE")) {
					throw ex;
				}
			}
			tx.executeWithoutResult(status -> ves.deleteById(ve.getId()));
		});
	}

	/** Runs {@code work} on the VE as a job of its owner's, which pages and the API follow. */
	public JobView background(Ve ve, String kind, Runnable work) {
		return background(ve.getOwnerId(), ve, kind, work);
	}

	/** As above; {@code action} on {@code target} goes to the audit log with its outcome when the job ends. */
	public JobView backgroundAudited(Ve ve, String kind, String action, String target, Runnable work) {
		return background(ve.getOwnerId(), ve, kind, audited(action, target, currentActor(), work));
	}

	private JobView background(long ownerId, Ve ve, String kind, Runnable work) {
		OperationSlots.Slot slot = slots.take(ownerId);
		Job job;
		try {
			job = tx.execute(status -> jobs.save(new Job(ownerId, ve, kind)));
		}
		catch (RuntimeException ex) {
			slot.close();
			throw ex;
		}
		long jobId = job.getId();
		JobLeases.Lease lease = leases.take(jobId);
		runner.submit(() -> {
			step(jobId, kind + " under way");
			try (slot; lease) {
				work.run();
				tx.executeWithoutResult(status -> jobs.findById(jobId).ifPresent(j -> j.succeeded("done")));
			}
			catch (RuntimeException ex) {
				log.warn("{} of {} failed: {}", kind, ve.getEngineName(), ex.getMessage());
				tx.executeWithoutResult(status -> {
					if (kind.equals("destroy")) {
						ves.findById(ve.getId()).ifPresent(v -> v.setStatus(Ve.Status.READY));
					}
					jobs.findById(jobId).ifPresent(j -> j.failed(customerTerms(ex.getMessage(), ve)));
				});
			}
		});
		return JobView.of(job);
	}

	/** Every VE of the node with its owner, for admins. */
	public List<Ve> all() {
		return ves.findAllByOrderById();
	}
}
