// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.cairn.engine.EngineException;
import org.cairn.engine.TestNode;
import org.cairn.engine.Trees;
import org.cairn.engine.VeState;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.cairn.panel.database.ManagedPostgres;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.system.InputException;
import org.cairn.panel.ve.Jobs;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes joined to a panel that does not place VEs on its own machine: each node is a node agent with its own
 * engine (root, cgroup parent, uid range) on its own port, joined with {@code cairn node join}. New VEs spread over
 * them by sold memory; the customer's actions reach the node that holds the VE over mutual TLS; a node that stops
 * answering shows its VEs as unreachable (they keep running) and refuses actions with a message that says so, until
 * it is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD, "cairn.fleet.local-node=false",
				"cairn.fleet.check-every=PT1H", "cairn.jobs.lease=PT3S" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPlacementTests {

	private static final String PASSWORD = "Fleet-Customer-Pass-1";

	@LocalServerPort
	int port;

	@Autowired
	FleetNodes nodes;

	@Autowired
	NodeCheckpoints nodeCheckpoints;

	@Autowired
	NodeHealth health;

	@Autowired
	VeManagement management;

	@Autowired
	Fixtures fixtures;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuditLog audit;

	@Autowired
	org.cairn.panel.firewall.FirewallDesk firewall;

	@Autowired
	FleetOverview overview;

	@Autowired
	FleetEngines engines;

	@Autowired
	FleetMetrics metrics;

	@Autowired
	org.cairn.panel.ve.NodeOverview nodeOverview;

	@Autowired
	org.cairn.panel.template.TemplateBuilds templates;

	@Autowired
	org.cairn.panel.network.IpPools pools;

	@Autowired
	org.cairn.panel.plan.PlanCatalog plans;

	@Autowired
	org.cairn.panel.usage.UsageSampler sampler;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry registry;

	@Autowired
	org.cairn.engine.VeEngine engine;

	@Autowired
	org.cairn.panel.backup.BackupDesk backups;

	@Autowired
	org.cairn.panel.account.AccountManagement accounts;

	@Autowired
	org.cairn.panel.customer.CustomerHoldings holdings;

	/**
	 * A database of this class's own: the nodes it joins are seen by no other test's panel (whose health checks,
	 * with another authority, would mark them unreachable), and no other panel's nodes are seen here.
	 */
	private static final ManagedPostgres DATABASE = TestDatabase.startThrowAway("fleet-placement");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, DATABASE);
		PanelEngine.register(registry);
	}

	private final List<FleetTestNode> fleet = new ArrayList<>();

	private FleetTestBridge bridge;

	private Path dir;

	private Plan plan;

	private long owner;

	@BeforeAll
	void joinTwoNodes() throws Exception {
		dir = Files.createTempDirectory("cairn-fleet-placement-");
		bridge = FleetTestBridge.create();
		String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
		for (String name : List.of("place-a-" + suffix, "place-b-" + suffix)) {
			fleet.add(FleetTestNode.join(name, bridge, nodes, health, port, dir));
		}
		plan = fixtures.plan("fleet-" + suffix, "3", "");
		owner = fixtures.customer("fleet-" + suffix, PASSWORD, plan, 6);
	}

	@AfterAll
	void leave() {
		try {
			for (Ve ve : management.all()) {
				if (ve.getOwnerId() == owner) {
					Jobs.await(management, owner, management.destroy(owner, ve.getId(), ve.getHostname()).id());
				}
			}
		}
		finally {
			// every node's engine, cgroups and namespace go, whatever failed before (the database is this class's own);
			// the panel hangs up first, so that no connection of a node's outlives its namespace
			RuntimeException failed = null;
			for (FleetTestNode node : fleet) {
				try {
					engines.forget(node.id);
					node.close();
				}
				catch (RuntimeException ex) {
					failed = ex;
				}
			}
			Trees.delete(dir);
			if (bridge != null) {
				bridge.close();
			}
			if (failed != null) {
				throw failed;
			}
		}
	}

	private FleetTestNode holder(long veId) {
		Long nodeId = management.any(veId).getNodeId();
		return fleet.stream().filter(n -> Long.valueOf(n.id).equals(nodeId)).findFirst().orElseThrow();
	}

	@Test
	@Order(1)
	void newVesSpreadOverTheNodesAndAreDrivenThere() {
		long first = fixtures.ve(owner, plan, "first.fleet.example");
		long second = fixtures.ve(owner, plan, "second.fleet.example");
		FleetTestNode a = holder(first);
		FleetTestNode b = holder(second);
		// the first node had 64 MB sold once the first VE was there: the second VE went to the other
		assertThat(a).isNotSameAs(b);
		String firstName = management.any(first).getEngineName();
		String secondName = management.any(second).getEngineName();
		assertThat(a.engine.engine.status(firstName).state()).isEqualTo(VeState.RUNNING);
		assertThat(b.engine.engine.status(secondName).state()).isEqualTo(VeState.RUNNING);
		assertThatThrownBy(() -> b.engine.engine.status(firstName)).isInstanceOf(EngineException.NotFound.class);
		assertThat(management.get(owner, first).state()).isEqualTo("running");
		// a node's VEs, as its row on the nodes page links to them
		assertThat(nodeOverview.ves(a.name)).extracting(org.cairn.panel.ve.NodeOverview.AdminVe::id).contains(first)
			.doesNotContain(second);
		assertThat(nodeOverview.ves(a.name)).allSatisfy(ve -> assertThat(ve.node()).isEqualTo(a.name));
		// the usage sampler reads each node's VEs with one call per node
		sampler.sampleAll();
		assertThat(sampler.latest(firstName)).hasValueSatisfying(usage -> assertThat(usage.processes()).isPositive());
		assertThat(sampler.latest(secondName)).isPresent();

		// the customer's actions reach the VE's node
		management.act(owner, second, "suspend");
		assertThat(b.engine.engine.status(secondName).state()).isEqualTo(VeState.SUSPENDED);
		assertThat(management.get(owner, second).state()).isEqualTo("suspended");
		management.act(owner, second, "resume");
		assertThat(b.engine.engine.status(secondName).state()).isEqualTo(VeState.RUNNING);
	}

	@Test
	@Order(2)
	void aNodeThatStopsAnsweringShowsItsVesAsUnreachableUntilItIsBack() throws Exception {
		long third = fixtures.ve(owner, plan, "third.fleet.example");
		FleetTestNode node = holder(third);
		String name = management.any(third).getEngineName();
		node.stop();
		try {
			assertThat(health.check(nodes.get(node.id).orElseThrow())).isFalse();
			assertThat(nodes.get(node.id).orElseThrow().health().error()).contains("does not answer");
			assertThat(management.get(owner, third).state()).isEqualTo("unreachable");
			// the admin's list too, without waiting on the node for each of its VEs
			assertThat(nodeOverview.ves()).filteredOn(v -> v.id() == third).singleElement()
				.satisfies(v -> assertThat(v.state()).isEqualTo("unreachable"));
			metrics.refresh();
			assertThat(gauge("cairn.fleet.node.up", node.name)).isZero();
			assertThat(gauge("cairn.fleet.node.ves", node.name)).isPositive();
			assertThatThrownBy(() -> management.act(owner, third, "suspend")).isInstanceOf(InputException.class)
				.hasMessageContaining("does not answer");
			// the VE did not notice
			assertThat(node.engine.engine.status(name).state()).isEqualTo(VeState.RUNNING);
			// and no new VE goes to a node that does not answer
			long fourth = fixtures.ve(owner, plan, "fourth.fleet.example");
			assertThat(holder(fourth)).isNotSameAs(node);
		}
		finally {
			node.start();
		}
		assertThat(health.check(nodes.get(node.id).orElseThrow())).isTrue();
		assertThat(management.get(owner, third).state()).isEqualTo("running");
		metrics.refresh();
		assertThat(gauge("cairn.fleet.node.up", node.name)).isEqualTo(1);
		assertThat(gauge("cairn.fleet.node.memory", node.name)).isPositive();
		assertThat(gauge("cairn.fleet.node.memory.sold", node.name)).isPositive();
	}

	private double gauge(String name, String node) {
		return registry.get(name).tag("node", node).gauge().value();
	}

	@Test
	@Order(3)
	void aDrainedNodeTakesNoNewVesAndANodeWithVesCannotBeRemoved() {
		FleetTestNode drained = fleet.get(0);
		FleetTestNode other = fleet.get(1);
		nodes.setState(drained.id, "draining");
		try {
			long fifth = fixtures.ve(owner, plan, "fifth.fleet.example");
			assertThat(holder(fifth)).isSameAs(other);
			FleetOverview.NodeRow row = overview.rows().stream().filter(r -> drained.name.equals(r.name())).findFirst()
				.orElseThrow();
			assertThat(row.condition()).isEqualTo("draining");
			assertThat(row.ves()).isPositive();
			assertThat(row.capacity().memoryBytes()).isPositive();
			assertThat(row.templates()).contains("busybox");
			assertThatThrownBy(() -> nodes.remove(drained.id)).isInstanceOf(FleetException.class)
				.hasMessageContaining("holds");
			assertThatThrownBy(() -> nodes.setState(drained.id, "asleep")).isInstanceOf(FleetException.class);
		}
		finally {
			nodes.setState(drained.id, "active");
		}
	}

	@Test
	@Order(4)
	void aCustomersConsoleBackupAndRestoreWorkOnARemoteNode() throws Exception {
		long id = fixtures.ve(owner, plan, "path.fleet.example");
		Ve ve = management.any(id);
		FleetTestNode node = holder(id);
		shell(ve.getEngineName(), "echo precious > /root/note");
		assertThat(Jobs.await(management, owner, backups.backUp(ve).id()).state()).isEqualTo("succeeded");
		// the backup is in the node's own repository
		assertThat(node.engine.engine.backups().list(ve.getEngineName())).hasSize(1);
		String snapshot = backups.list(ve).getFirst().id();
		assertThat(backups.files(ve, snapshot, "/root")).anyMatch(entry -> entry.name().equals("note"));

		shell(ve.getEngineName(), "rm /root/note");
		var customer = accounts.principal(owner).orElseThrow();
		assertThat(Jobs.await(management, owner, backups.restore(ve, snapshot,
				new org.cairn.panel.backup.RestoreForm("/root/note", null, false, null, null), customer, false).id())
			.state()).isEqualTo("succeeded");
		assertThat(shell(ve.getEngineName(), "cat /root/note")).contains("precious");
	}

	@Test
	@Order(5)
	void aNodesCertificateIsRotatedWhileItServes() throws Exception {
		FleetTestNode node = fleet.get(1);
		Ve ve = management.all().stream()
			.filter(v -> v.getOwnerId() == owner && Long.valueOf(node.id).equals(v.getNodeId()))
			.findFirst()
			.orElseThrow();
		String before = nodes.get(node.id).orElseThrow().certificateSha256();
		try (org.cairn.engine.VeConsole open = engine.console(ve.getEngineName(), List.of("/bin/sh"), 24, 80)) {
			FleetNode rotated = nodes.rotate(node.id);
			assertThat(rotated.certificateSha256()).isNotEqualTo(before);
			assertThat(jdbc.sql("select next_certificate_sha256 from fleet_node where id = ?").param(node.id)
				.query(String.class).optional()).isEmpty();
			// the node serves the new certificate, kept in its folder, and new calls go on
			java.security.cert.X509Certificate served = engines.servedCertificate(node.id);
			assertThat(org.cairn.node.FleetCrypto.sha256(served)).isEqualTo(rotated.certificateSha256());
			assertThat(Files.readString(node.identity.resolve("node.crt")))
				.isEqualTo(org.cairn.node.FleetCrypto.pem(served));
			assertThat(management.get(owner, ve.getId()).state()).isEqualTo("running");
			// and a console opened before the rotation did not notice it
			open.input().write("echo still-$((20+3))\n".getBytes(StandardCharsets.UTF_8));
			open.input().flush();
			StringBuilder seen = new StringBuilder();
			byte[] buffer = new byte[4096];
			while (!seen.toString().contains("still-23")) {
				int n = open.output().read(buffer);
				assertThat(n).as("the console ended; seen: " + seen).isPositive();
				seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
			}
		}
	}

	@Test
	@Order(6)
	void aVesAddressesComeFromItsNodesPools() {
		FleetTestNode a = fleet.get(0);
		FleetTestNode b = fleet.get(1);
		var pool = pools.create(new org.cairn.panel.network.IpPoolForm("pool-a", "192.0.2.10", "192.0.2.11", "", null,
				a.name));
		Plan addressed = plans.create(new org.cairn.panel.plan.PlanForm("addressed-" + a.name, "64M", "0", "1", "", "100",
				"128", "", "", "", "", "1", "0", "0", "", "0", "", ""));
		long customer = fixtures.customer("addr-" + a.name, PASSWORD, addressed, 3);
		// only node A has addresses: both VEs go there, though B has less memory sold now
		long first = fixtures.ve(customer, addressed, "addr1.fleet.example");
		long second = fixtures.ve(customer, addressed, "addr2.fleet.example");
		assertThat(holder(first)).isSameAs(a);
		assertThat(holder(second)).isSameAs(a);
		assertThat(management.get(customer, first).addresses()).singleElement().isIn("192.0.2.10", "192.0.2.11");
		assertThat(a.engine.engine.network(management.any(first).getEngineName()).addresses()).hasSize(1);
		// none left anywhere: refused before anything is recorded, saying what is missing
		assertThatThrownBy(() -> management.create(customer, new org.cairn.panel.ve.NewVeForm(addressed.getId(),
				"busybox", "addr3.fleet.example", "Root-Pass-Fixture-1", null)))
			.hasMessageContaining("no node has a free IPv4 address");
		assertThat(management.of(customer)).hasSize(2);
		assertThat(b.engine.engine.list()).noneMatch(s -> s.hostname().startsWith("addr"));
		for (long id : List.of(first, second)) {
			Jobs.await(management, customer, management.destroy(customer, id, management.any(id).getHostname()).id());
		}
		pools.delete(pool.id());
	}

	@Test
	@Order(7)
	void aTemplateIsBuiltOnANodeWithItsLogCarriedToThePanel() throws Exception {
		FleetTestNode b = fleet.get(1);
		assertThat(templates.all()).filteredOn(t -> t.name().equals("busybox")).singleElement()
			.satisfies(t -> assertThat(t.builtOn()).contains(fleet.get(0).name, b.name));
		org.cairn.panel.template.TemplateBuild started = templates.start("busybox", b.name, "admin");
		assertThat(started.state()).isEqualTo("running");
		long until = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
		org.cairn.panel.template.TemplateBuild build = started;
		while (build.state().equals("running") && System.nanoTime() < until) {
			Thread.sleep(200);
			build = templates.build("busybox", b.name);
		}
		assertThat(build.state()).as(String.join("\n", build.log())).isEqualTo("succeeded");
		assertThat(build.log()).last().asString().startsWith("built: ");
		assertThat(build.log().size()).as("the node's log, line by line").isGreaterThan(1);
		// the build it replaced is kept for the VEs still running on it, but no longer offered
		assertThat(b.engine.engine.templates()).extracting(org.cairn.engine.template.Template::name)
			.allSatisfy(name -> assertThat(name).doesNotStartWith("."));
		// on a node that does not build it: refused, naming what is wrong
		assertThatThrownBy(() -> templates.start("no-such-template", b.name, "admin"))
			.hasMessageContaining("builds no template named");

		// an admin's own template (an import on the panel's machine) is copied to a node that lacks it
		String own = "own-" + b.name.substring(b.name.lastIndexOf('-') + 1);
		Path archive = dir.resolve(own + ".tar.zst");
		engines.local().exportTemplate("busybox", archive);
		engines.local().importTemplate(own, archive, 1L << 30, own + " (uploaded by admin)", line -> {
		});
		try {
			assertThat(templates.all()).filteredOn(t -> t.name().equals(own)).singleElement()
				.satisfies(t -> assertThat(t.missingOn()).contains(b.name));
			org.cairn.panel.template.TemplateBuild copy = templates.start(own, b.name, "admin");
			until = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
			while (copy.state().equals("running") && System.nanoTime() < until) {
				Thread.sleep(200);
				copy = templates.build(own, b.name);
			}
			assertThat(copy.state()).as(String.join("\n", copy.log())).isEqualTo("succeeded");
			assertThat(copy.log()).anySatisfy(line -> assertThat(line).startsWith("sending "));
			assertThat(b.engine.engine.templates()).filteredOn(t -> t.name().equals(own)).singleElement()
				.satisfies(t -> assertThat(t.description()).contains(own + " copied from the panel's machine"));
			assertThat(nodes.get(b.id).orElseThrow().health().templates()).contains(own);
			// and a VE boots from the copy there
			b.engine.engine.create(new org.cairn.engine.VeSpec("vecopied", own, "copied.example"));
			try {
				assertThat(b.engine.engine.start("vecopied").state()).isEqualTo(VeState.RUNNING);
			}
			finally {
				b.engine.engine.destroy("vecopied");
			}
		}
		finally {
			engines.local().deleteTemplate(own);
			if (b.engine.engine.templates().stream().anyMatch(t -> t.name().equals(own))) {
				b.engine.engine.deleteTemplate(own);
			}
		}
		assertThatThrownBy(() -> templates.start("busybox", "no-such-node", "admin")).hasMessageContaining("no joined node");
	}

	@Test
	@Order(8)
	void aNodeAnsweringAsAnotherIsRefusedAndAudited() {
		FleetTestNode a = fleet.get(0);
		FleetTestNode b = fleet.get(1);
		String address = nodes.get(b.id).orElseThrow().address();
		// b's address now leads to a: a certificate of the fleet's authority, but not the one pinned for b
		jdbc.sql("update fleet_node set address = ? where id = ?").params(a.address + ":" + FleetTestNode.PORT, b.id)
			.update();
		engines.forget(b.id);
		try {
			assertThat(health.check(nodes.get(b.id).orElseThrow())).isFalse();
			assertThat(health.check(nodes.get(b.id).orElseThrow())).isFalse();
			assertThat(nodes.get(b.id).orElseThrow().health().error()).contains("is not the one the panel gave this node");
			var refused = audit.find(new AuditFilter(null, "NODE_TRUST", Outcome.FAILURE, null, null), 0).getContent();
			assertThat(refused).as("audited once, not at every check").hasSize(1);
			assertThat(refused.get(0).getTarget()).isEqualTo("node:" + b.name);
			assertThatThrownBy(() -> engines.remote(b.id).facts()).isInstanceOf(EngineException.Unreachable.class)
				.hasMessageContaining("TLS refused");
		}
		finally {
			jdbc.sql("update fleet_node set address = ? where id = ?").params(address, b.id).update();
			engines.forget(b.id);
		}
		assertThat(health.check(nodes.get(b.id).orElseThrow())).isTrue();
	}

	@Test
	@Order(9)
	void aPlanOrACustomerPinnedToANodeGroupGetsVesOnlyThereWithTheGroupsAddresses() {
		FleetTestNode b = fleet.get(1);
		String group = "edge-" + b.name.substring(b.name.lastIndexOf('-') + 1);
		assertThatThrownBy(() -> nodes.setGroup(b.id, "Edge Nodes!")).isInstanceOfSatisfying(FleetException.class,
				ex -> assertThat(ex.field()).isEqualTo("group"));
		assertThat(nodes.setGroup(b.id, group).group()).isEqualTo(group);
		var pool = pools.create(new org.cairn.panel.network.IpPoolForm("pool-" + group, "192.0.2.20", "192.0.2.21", "",
				null, null, group));
		assertThat(pool.node()).isNull();
		assertThatThrownBy(() -> pools.create(new org.cairn.panel.network.IpPoolForm("pool-both", "192.0.2.30",
				"192.0.2.30", "", null, fleet.get(0).name, group))).hasMessageContaining("not both");
		Plan pinned = plans.create(pinnedPlan("pinned-" + group, group));
		assertThatThrownBy(() -> plans.create(pinnedPlan("pinned-bad", "Not A Group")))
			.isInstanceOfSatisfying(org.cairn.panel.plan.PlanException.class,
					ex -> assertThat(ex.field()).isEqualTo("nodeGroup"));
		long customer = fixtures.customer("grp-" + b.name, PASSWORD, pinned, 4);
		List<Long> made = new ArrayList<>();
		try {
			// both go to B, the group's only node, though A has less memory sold after the first; their addresses
			// come from the group's pool (B has none of its own, and A's pool is not B's)
			made.add(fixtures.ve(customer, pinned, "grp1.fleet.example"));
			made.add(fixtures.ve(customer, pinned, "grp2.fleet.example"));
			for (long id : made) {
				assertThat(holder(id)).isSameAs(b);
				assertThat(management.get(customer, id).addresses()).singleElement().isIn("192.0.2.20", "192.0.2.21");
			}
			// a customer pinned to a group no node is in: refused on the plan, naming the group, nothing recorded
			holdings.set(customer, new org.cairn.panel.customer.HoldingsForm(List.of(pinned.getId()), "4", "", "", "",
					"nowhere"));
			assertThatThrownBy(() -> management.create(customer, new org.cairn.panel.ve.NewVeForm(pinned.getId(),
					"busybox", "grp3.fleet.example", "Root-Pass-Fixture-1", null)))
				.hasMessageContaining("no node of the group nowhere");
			assertThat(management.of(customer)).hasSize(2);
		}
		finally {
			for (long id : made) {
				Jobs.await(management, customer, management.destroy(customer, id, management.any(id).getHostname()).id());
			}
			pools.delete(pool.id());
			nodes.setGroup(b.id, null);
		}
	}

	@Test
	@Order(10)
	void aCreateWhoseNodeStopsAnsweringIsSettledWhenTheNodeIsBack() throws Exception {
		FleetTestNode drained = fleet.get(0);
		FleetTestNode target = fleet.get(1);
		long customer = fixtures.customer("lost-" + target.name, PASSWORD, plan, 1);
		nodes.setState(drained.id, "draining");
		// the panel last saw the node answer; it stops before the create reaches it
		target.stop();
		try {
			long jobId = management.create(customer, new org.cairn.panel.ve.NewVeForm(plan.getId(), "busybox",
					"lost.fleet.example", "Root-Pass-Fixture-1", null)).id();
			long veId = jdbc.sql("select ve_id from job where id = ?").param(jobId).query(Long.class).single();
			awaitJob(customer, jobId, job -> String.valueOf(job.progress()).contains("does not answer"));
			// not undone while its node is silent: the VE may be there
			Thread.sleep(4000);
			assertThat(management.job(customer, jobId).state()).isEqualTo("running");
			assertThat(management.any(veId)).isNotNull();
			target.start();
			// back: the node has no such VE, so the create is undone, its record with it
			org.cairn.panel.ve.JobView settled = awaitJob(customer, jobId, job -> !job.state().equals("running"));
			assertThat(settled.state()).isEqualTo("failed");
			assertThat(settled.error()).contains("nothing was kept");
			assertThat(jdbc.sql("select count(*) from ve where id = ?").param(veId).query(Long.class).single()).isZero();
			assertThat(target.engine.engine.list()).noneMatch(ve -> ve.hostname().startsWith("lost"));
		}
		finally {
			if (!target.running()) {
				target.start();
			}
			nodes.setState(drained.id, "active");
		}
	}

	@Test
	@Order(11)
	void theNodeWideRulesAreTheFleetsOnEveryNodeAndReachOneThatWasAway() throws Exception {
		FleetTestNode a = fleet.get(0);
		FleetTestNode b = fleet.get(1);
		List<String> wanted = List.of("out drop tcp 25", "in drop tcp 22 from 198.51.100.0/24");
		b.stop();
		try {
			assertThat(firewall.replaceNodeRules(wanted)).containsExactlyElementsOf(wanted);
			assertThat(rules(a.engine.engine)).containsExactlyElementsOf(wanted);
			assertThat(rules(engines.local())).containsExactlyElementsOf(wanted);
			assertThat(audit.find(new AuditFilter(null, "NODE_FIREWALL_CHANGE", Outcome.SUCCESS, null, null), 0)
				.getContent()).first().satisfies(entry -> assertThat(entry.getDetail())
					.contains("when they answer: " + b.name));
			assertThat(rules(b.engine.engine)).isEmpty();
			b.start();
			// back: the health check finds other rules there and puts the fleet's
			assertThat(health.check(nodes.get(b.id).orElseThrow())).isTrue();
			assertThat(rules(b.engine.engine)).containsExactlyElementsOf(wanted);
			assertThat(firewall.nodeRules()).containsExactlyElementsOf(wanted);
		}
		finally {
			if (!b.running()) {
				b.start();
			}
			firewall.replaceNodeRules(List.of());
		}
		assertThat(rules(a.engine.engine)).isEmpty();
		assertThat(rules(b.engine.engine)).isEmpty();
	}

	private static List<String> rules(org.cairn.engine.VeEngine on) {
		return on.nodeFirewall().stream().map(Object::toString).toList();
	}

	private org.cairn.panel.ve.JobView awaitJob(long customer, long jobId,
			java.util.function.Predicate<org.cairn.panel.ve.JobView> done) throws InterruptedException {
		long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
		org.cairn.panel.ve.JobView job = management.job(customer, jobId);
		while (!done.test(job)) {
			assertThat(System.nanoTime()).as("job " + jobId + ": " + job).isLessThan(until);
			Thread.sleep(200);
			job = management.job(customer, jobId);
		}
		return job;
	}

	@Autowired
	org.cairn.panel.ve.VeMoves moves;

	@Test
	@Order(12)
	void aRunningVeMovesToTheOtherNodeWithItsAddressFilesAndSnapshotsAndItsClientReconnects() throws Exception {
		Grouped g = grouped("move", 200);
		long customer = g.customer();
		long veId = g.veId();
		String name = g.name();
		String address = g.address();
		FleetTestNode from = g.from();
		FleetTestNode to = g.to();
		assertThat(management.get(customer, veId).addresses()).as("the group's pool's").containsExactly(address);
		TestNode client = TestNode.create();
		try {
			bridge.plug(client);
			shell(name, "mkdir -p /root/www && echo served-from-$((6*7)) > /root/www/index.html"
					+ " && echo \"::respawn:$(command -v httpd) -f -p 8080 -h /root/www\" >> /etc/inittab"
					+ " && (httpd -p 8080 -h /root/www) && dd if=/dev/urandom of=/root/big bs=1M count=24 2>/dev/null");
			String sum = md5(shell(name, "md5sum /root/big"));
			from.engine.engine.snapshots().create(name, "before-move");
			assertThat(fetch(client, address)).contains("served-from-42");

			assertThatThrownBy(() -> moves.move(veId, from.name, "admin")).isInstanceOfSatisfying(
					org.cairn.panel.system.InputException.class, ex -> assertThat(ex.getMessage()).contains("already"));
			assertThatThrownBy(() -> moves.move(veId, "no-such-node", "admin"))
				.hasMessageContaining("no node named no-such-node");
			// as a node's admin would: cairn ve migrate, through the panel's API with an admin's token
			Path token = dir.resolve("admin.token");
			Files.writeString(token, org.cairn.panel.TestBrowser.token(port, "admin", PanelTest.ADMIN_PASSWORD));
			FleetTestNode.Run refused = FleetTestNode.cairn("ve", "migrate", name, "--to", "nowhere", "--panel",
					"http://127.0.0.1:" + port, "--token-file", token.toString());
			assertThat(refused.exitCode()).isEqualTo(1);
			assertThat(refused.err()).contains("there is no node named nowhere");
			FleetTestNode.Run moved = FleetTestNode.cairn("ve", "migrate", name, "--to", to.name, "--panel",
					"http://127.0.0.1:" + port, "--token-file", token.toString());
			assertThat(moved.exitCode()).as(moved.err()).isZero();
			assertThat(moved.out()).contains("moved to " + to.name).containsPattern("down \\d+ ms");

			assertThat(holder(veId)).isSameAs(to);
			assertThat(from.engine.engine.list()).noneMatch(s -> s.name().equals(name));
			assertThat(to.engine.engine.status(name).state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
			assertThat(management.get(customer, veId).state()).isEqualTo("running");
			assertThat(management.get(customer, veId).addresses()).containsExactly(address);
			assertThat(to.engine.engine.limits(name).memoryBytes()).isEqualTo(64L << 20);
			assertThat(to.engine.engine.snapshots().list(name)).extracting(org.cairn.engine.VeSnapshots.Snapshot::name)
				.containsExactly("before-move");
			assertThat(md5(shell(name, "md5sum /root/big"))).isEqualTo(sum);
			// the address followed the VE: the client reaches it on its new node
			assertThat(fetch(client, address)).contains("served-from-42");
			assertThat(audit.find(new AuditFilter(null, "VE_MIGRATE", Outcome.SUCCESS, null, null), 0).getContent())
				.anyMatch(entry -> entry.getTarget().contains("move.fleet.example to " + to.name));
		}
		finally {
			client.close();
			ungroup(g);
		}
	}

	@Test
	@Order(13)
	void aMoveWhoseTargetStopsAnsweringMidCopyLeavesTheVeRunningWhereItWas() throws Exception {
		Mover m = mover("cut", 600);
		try {
			String sum = md5(shell(m.name(), "md5sum /root/big"));
			long jobId = moves.move(m.veId(), m.to().name, "admin").id();
			awaitJob(m.customer(), jobId, job -> String.valueOf(job.progress()).startsWith("copying"));
			m.to().stop();
			org.cairn.panel.ve.JobView failed = awaitJob(m.customer(), jobId, job -> !job.state().equals("running"));
			assertThat(failed.state()).isEqualTo("failed");
			assertThat(failed.error()).contains("not moved (it runs where it was)", "removed when it answers");
			assertThat(holder(m.veId())).isSameAs(m.from());
			assertThat(management.get(m.customer(), m.veId()).state()).isEqualTo("running");
			assertThat(md5(shell(m.name(), "md5sum /root/big"))).isEqualTo(sum);
			Path incoming = m.to().engine.settings.root().resolve("ves").resolve(".incoming-" + m.name());
			assertThat(incoming).as("the partial copy waits for its node").exists();
			// back: the partial copy goes
			m.to().start();
			java.util.function.LongSupplier moveRows = () -> jdbc.sql("select count(*) from ve_move where ve_id = ?")
				.param(m.veId()).query(Long.class).single();
			long until = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
			while ((Files.exists(incoming) || moveRows.getAsLong() > 0) && System.nanoTime() < until) {
				Thread.sleep(200);
			}
			assertThat(incoming).doesNotExist();
			assertThat(moveRows.getAsLong()).as("the move is over").isZero();
		}
		finally {
			if (!m.to().running()) {
				m.to().start();
			}
			Jobs.await(management, m.customer(), management.destroy(m.customer(), m.veId(), "cut.fleet.example").id());
		}
	}

	@Test
	@Order(14)
	void aMoveWhoseSourceStopsAnsweringAtTheStopIsCalledOffWhenItIsBack() throws Exception {
		Mover m = mover("frozen", 300);
		try {
			// the source goes away once the move stops the VE there
			org.cairn.panel.ve.JobView settled = sourceAwayFrom(m, false, "stopping");
			assertThat(settled.error()).contains("not moved (it runs where it was)");
			assertThat(management.get(m.customer(), m.veId()).state()).isEqualTo("running");
			assertThat(m.to().engine.settings.root().resolve("ves").resolve(".incoming-" + m.name())).doesNotExist();
		}
		finally {
			if (!m.from().running()) {
				m.from().start();
			}
			Jobs.await(management, m.customer(), management.destroy(m.customer(), m.veId(), "frozen.fleet.example").id());
		}
	}

	@Test
	@Order(15)
	void aRunningVeMovesLiveAndAClientsTcpConnectionGoesOnCountingWithNoGap() throws Exception {
		Grouped g = grouped("live", 201);
		long customer = g.customer();
		long veId = g.veId();
		String name = g.name();
		String address = g.address();
		// a live move keeps the VE's range of ids, which must be free on the target: each test node has ranges of its
		// own, so the VE goes (cold) to the node whose ranges start higher, then live to the other
		FleetTestNode from = g.from().engine.settings.firstUid() > g.to().engine.settings.firstUid() ? g.from() : g.to();
		FleetTestNode to = from == g.from() ? g.to() : g.from();
		if (holder(veId) != from) {
			Jobs.await(management, customer, moves.move(veId, from.name, "admin").id());
			assertThat(holder(veId)).isSameAs(from);
		}
		TestNode client = TestNode.create();
		try {
			bridge.plug(client);
			// a counter the VE's process holds in memory, streamed to whoever connects
			shell(name, "(setsid sh -c 'i=0; while :; do echo $i; i=$((i+1)); sleep 0.05; done | nc -l -p 9000'"
					+ " > /dev/null 2>&1 < /dev/null &)");
			List<Long> received = new java.util.concurrent.CopyOnWriteArrayList<>();
			Process stream = client.background("busybox", "nc", address, "9000");
			Thread reader = Thread.ofVirtual().start(() -> {
				try (java.io.BufferedReader lines = stream.inputReader()) {
					for (String line; (line = lines.readLine()) != null;) {
						received.add(Long.parseLong(line.strip()));
					}
				}
				catch (Exception ex) {
					// the stream ended: the assertions say what came
				}
			});
			long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
			while (received.size() < 10 && System.nanoTime() < until) {
				Thread.sleep(50);
			}
			assertThat(received).as("the client counts").hasSizeGreaterThanOrEqualTo(10);

			Path token = dir.resolve("admin.token");
			Files.writeString(token, org.cairn.panel.TestBrowser.token(port, "admin", PanelTest.ADMIN_PASSWORD));
			FleetTestNode.Run moved = FleetTestNode.cairn("ve", "migrate", name, "--to", to.name, "--live", "--panel",
					"http://127.0.0.1:" + port, "--token-file", token.toString());
			assertThat(moved.exitCode()).as(moved.err()).isZero();
			assertThat(moved.out()).contains("moved to " + to.name + " live").containsPattern("down \\d+ ms");
			int atMove = received.size();
			until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
			while (received.size() < atMove + 20 && System.nanoTime() < until) {
				Thread.sleep(50);
			}

			assertThat(holder(veId)).isSameAs(to);
			assertThat(from.engine.engine.list()).noneMatch(s -> s.name().equals(name));
			assertThat(stream.isAlive()).as("the client's connection survived the move").isTrue();
			assertThat(received.size()).as("it counts on, from the new node").isGreaterThanOrEqualTo(atMove + 20);
			List<Long> gaps = new java.util.ArrayList<>();
			for (int i = 1; i < received.size(); i++) {
				if (received.get(i) != received.get(i - 1) + 1) {
					gaps.add(received.get(i - 1));
				}
			}
			assertThat(gaps).as("every number once, in order, across the move").isEmpty();
			assertThat(management.get(customer, veId).state()).isEqualTo("running");
			stream.destroyForcibly();
			reader.join(5000);
		}
		finally {
			client.close();
			ungroup(g);
		}
	}

	/** A process of the VE counting in memory; /root/count only shows how far it got. */
	private static final String COUNTER = "(setsid sh -c 'i=0; while :; do i=$((i+1)); echo $i > /root/count;"
			+ " sleep 0.05; done' > /dev/null 2>&1 < /dev/null &)";

	@Test
	@Order(16)
	void aNodesVesAreCheckpointedBeforeItsRebootAndRestoredAfterIt() throws Exception {
		Mover m = mover("kept", 8);
		try {
			shell(m.name(), COUNTER);
			Thread.sleep(300);
			org.cairn.engine.VeCheckpoints.Outcome saved = nodeCheckpoints.checkpointAll(m.from().id, "admin");
			assertThat(saved.done()).contains(m.name());
			assertThat(saved.failed()).isEmpty();
			assertThat(m.from().engine.engine.status(m.name()).state()).isEqualTo(org.cairn.engine.VeState.STOPPED);
			assertThat(management.get(m.customer(), m.veId()).state()).isEqualTo("stopped");

			org.cairn.engine.VeCheckpoints.Outcome restored = nodeCheckpoints.restoreAll(m.from().id, "admin");
			assertThat(restored.done()).as("every VE saved, this one with the others the node runs")
				.containsExactlyInAnyOrderElementsOf(saved.done());
			assertThat(m.from().engine.engine.status(m.name()).state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
			String first = shell(m.name(), "cat /root/count");
			Thread.sleep(300);
			assertThat(shell(m.name(), "cat /root/count")).as("the saved process counts on").isNotEqualTo(first);
			assertThat(nodeCheckpoints.restoreAll(m.from().id, "admin").done()).as("restored once").isEmpty();
			assertThat(audit.find(new AuditFilter(null, "NODE_CHECKPOINT_ALL", Outcome.SUCCESS, null, null), 0)
				.getContent()).anyMatch(entry -> entry.getTarget().equals("node:" + m.from().name));
		}
		finally {
			Jobs.await(management, m.customer(), management.destroy(m.customer(), m.veId(), "kept.fleet.example").id());
		}
	}

	@Test
	@Order(17)
	void aLiveMoveWhoseSourceStopsAnsweringAfterTheFreezeIsCalledOffAndTheVeIsRestoredThere() throws Exception {
		Mover m = liveMover("paused", 200);
		try {
			shell(m.name(), COUNTER);
			// the source goes away once its VE is saved
			sourceAwayFrom(m, true, "saving");
			String first = shell(m.name(), "cat /root/count");
			Thread.sleep(300);
			assertThat(shell(m.name(), "cat /root/count")).as("its saved processes carry on where it was")
				.isNotEqualTo(first);
			assertThat(m.to().engine.settings.root().resolve("ves").resolve(".incoming-" + m.name())).doesNotExist();
		}
		finally {
			if (!m.from().running()) {
				m.from().start();
			}
			Jobs.await(management, m.customer(), management.destroy(m.customer(), m.veId(), "paused.fleet.example").id());
		}
	}

	/**
	 * Moves the VE (live or not) and stops its source's agent once the job's progress starts with {@code step} (or
	 * with the last copy): nothing is decided while it is away; once it is back, the move is called off and the VE
	 * runs there. Returns the failed job.
	 */
	private org.cairn.panel.ve.JobView sourceAwayFrom(Mover m, boolean live, String step) throws Exception {
		long jobId = moves.move(m.veId(), m.to().name, live, "admin").id();
		awaitJob(m.customer(), jobId, job -> String.valueOf(job.progress()).startsWith(step)
				|| String.valueOf(job.progress()).startsWith("copying what changed") || !job.state().equals("running"));
		m.from().stop();
		awaitJob(m.customer(), jobId, job -> String.valueOf(job.progress()).startsWith("calling the move off")
				|| !job.state().equals("running"));
		assertThat(management.job(m.customer(), jobId).state()).as("nothing is decided while the source is away")
			.isEqualTo("running");
		assertThat(m.to().engine.engine.list()).as("never on the target").noneMatch(s -> s.name().equals(m.name()));
		m.from().start();
		org.cairn.panel.ve.JobView settled = awaitJob(m.customer(), jobId, job -> !job.state().equals("running"));
		assertThat(settled.state()).isEqualTo("failed");
		assertThat(holder(m.veId())).isSameAs(m.from());
		assertThat(m.from().engine.engine.status(m.name()).state()).isEqualTo(org.cairn.engine.VeState.RUNNING);
		return settled;
	}

	/** A customer's VE with an address of a pool both nodes serve (one node group), to move between them. */
	private record Grouped(long customer, long veId, String name, String hostname, String address, long poolId,
			FleetTestNode from, FleetTestNode to) {
	}

	/** Its address on the subnet the nodes share (the rack's VLAN): the node holding the VE answers ARP for it. */
	private Grouped grouped(String label, int host) throws Exception {
		FleetTestNode a = fleet.get(0);
		FleetTestNode b = fleet.get(1);
		String group = label + "-" + a.name.substring(a.name.lastIndexOf('-') + 1);
		nodes.setGroup(a.id, group);
		nodes.setGroup(b.id, group);
		String address = bridge.address(host);
		var pool = pools.create(new org.cairn.panel.network.IpPoolForm("pool-" + group, address, address, "", null,
				null, group));
		Plan plan = plans.create(new org.cairn.panel.plan.PlanForm(label + "-" + group, "64M", "0", "1", "", "100",
				"128", "128M", "", "", "", "1", "0", "0", "", "2", "", ""));
		long customer = fixtures.customer(label + "-" + a.name, PASSWORD, plan, 2);
		String hostname = label + ".fleet.example";
		long veId = fixtures.ve(customer, plan, hostname);
		FleetTestNode from = holder(veId);
		return new Grouped(customer, veId, management.any(veId).getEngineName(), hostname, address, pool.id(), from,
				from == a ? b : a);
	}

	private void ungroup(Grouped g) {
		Jobs.await(management, g.customer(), management.destroy(g.customer(), g.veId(), g.hostname()).id());
		pools.delete(g.poolId());
		nodes.setGroup(fleet.get(0).id, null);
		nodes.setGroup(fleet.get(1).id, null);
	}

	/** A customer's VE to move, with {@code mb} of random data written (the more, the longer its first copy). */
	private record Mover(long customer, long veId, String name, FleetTestNode from, FleetTestNode to) {
	}

	private Mover mover(String label, int mb) throws Exception {
		FleetTestNode a = fleet.get(0);
		Plan big = plans.create(new org.cairn.panel.plan.PlanForm(label + "-" + a.name, "64M", "0", "1", "", "100",
				"128", "1G", "", "", "", "0", "0", "0", "", "0", "", ""));
		long customer = fixtures.customer(label + "-" + a.name, PASSWORD, big, 1);
		long veId = fixtures.ve(customer, big, label + ".fleet.example");
		String name = management.any(veId).getEngineName();
		FleetTestNode from = holder(veId);
		shell(name, "dd if=/dev/urandom of=/root/big bs=1M count=" + mb + " 2>/dev/null; sync");
		return new Mover(customer, veId, name, from, from == a ? fleet.get(1) : a);
	}

	/**
	 * As {@link #mover}, on the node whose ranges of ids start higher (moved there cold if it was not): a live move
	 * keeps the VE's range, which must be free on the target, and each test node has ranges of its own.
	 */
	private Mover liveMover(String label, int mb) throws Exception {
		Mover m = mover(label, mb);
		if (m.from().engine.settings.firstUid() > m.to().engine.settings.firstUid()) {
			return m;
		}
		Jobs.await(management, m.customer(), moves.move(m.veId(), m.to().name, "admin").id());
		assertThat(holder(m.veId())).isSameAs(m.to());
		return new Mover(m.customer(), m.veId(), m.name(), m.to(), m.from());
	}

	private static String md5(String output) {
		java.util.regex.Matcher sum = java.util.regex.Pattern.compile("([0-9a-f]{32})  /root/big").matcher(output);
		assertThat(sum.find()).as(output).isTrue();
		return sum.group(1);
	}

	/** What the VE's web server at {@code address} serves, as a client on the rack's network sees it. */
	private static String fetch(TestNode client, String address) throws InterruptedException {
		long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
		while (true) {
			try {
				return client.run("sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 " + address
						+ " 8080");
			}
			catch (AssertionError ex) {
				if (System.nanoTime() > until) {
					throw ex;
				}
				Thread.sleep(200);
			}
		}
	}

	private static org.cairn.panel.plan.PlanForm pinnedPlan(String name, String group) {
		return new org.cairn.panel.plan.PlanForm(name, "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "0", "0",
				"", "0", "", "", null, null, null, null, null, null, null, null, group);
	}

	/** Runs {@code command} in a login shell of the VE's, through the fleet's engine (its node's agent). */
	private String shell(String ve, String command) throws Exception {
		try (org.cairn.engine.VeConsole console = engine.console(ve, List.of("/bin/sh"), 24, 200)) {
			console.input().write((command + "; echo done-$((40+2))\n").getBytes(StandardCharsets.UTF_8));
			console.input().flush();
			StringBuilder seen = new StringBuilder();
			byte[] buffer = new byte[4096];
			long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
			while (!seen.toString().contains("done-42")) {
				assertThat(System.nanoTime()).as("the shell answers; seen: " + seen).isLessThan(until);
				int n = console.output().read(buffer);
				assertThat(n).as("the console ended; seen: " + seen).isPositive();
				seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
			}
			return seen.toString();
		}
	}
}
