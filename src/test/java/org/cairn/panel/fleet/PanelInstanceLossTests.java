// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.cairn.engine.EngineException;
import org.cairn.engine.Trees;
import org.cairn.engine.VeState;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.TestBrowser;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.database.ManagedPostgres;
import org.cairn.panel.network.IpPoolForm;
import org.cairn.panel.network.IpPools;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two panel instances on one database, as behind a load balancer: this test's, and a second one in a JVM of its
 * own, killed with SIGKILL while it creates a VE on a remote node. The job's lease falls due and this instance
 * settles it: the VE ends up existing once, on the node, with its address taken once, or not at all, its
 * address free again; never half-made, never twice. The same for a move to another node: taken up from its
 * recorded step, the VE runs on exactly one node afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "cairn.admin.password=" + PanelTest.ADMIN_PASSWORD, "cairn.fleet.local-node=false",
				"cairn.fleet.check-every=PT1H", "cairn.jobs.lease=PT3S" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PanelInstanceLossTests {

	private static final ManagedPostgres DATABASE = TestDatabase.startThrowAway("instance-loss");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "Instance-Loss-Pass-8";

	@LocalServerPort
	int port;

	@Autowired
	FleetNodes nodes;

	@Autowired
	NodeHealth health;

	@Autowired
	FleetEngines engines;

	@Autowired
	Fixtures fixtures;

	@Autowired
	PlanCatalog plans;

	@Autowired
	IpPools pools;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Environment environment;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Process> instances = new ArrayList<>();

	private Path dir;

	private FleetTestNode node;

	/** A second node, where a move goes. */
	private FleetTestNode other;

	private FleetTestBridge bridge;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, DATABASE);
		PanelEngine.register(registry);
	}

	@BeforeAll
	void joinANode() throws Exception {
		dir = Files.createTempDirectory("cairn-instance-loss-");
		bridge = FleetTestBridge.create();
		String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
		node = FleetTestNode.join("loss-" + suffix, bridge, nodes, health, port, dir);
		other = FleetTestNode.join("loss-other-" + suffix, bridge, nodes, health, port, dir);
	}

	@AfterAll
	void stop() {
		try {
			instances.forEach(Process::destroyForcibly);
			// the panel hangs up first, so that no connection of a node's outlives its namespace
			for (FleetTestNode each : java.util.Arrays.asList(node, other)) {
				if (each != null) {
					engines.forget(each.id);
					each.close();
				}
			}
		}
		finally {
			Trees.delete(dir);
			if (bridge != null) {
				bridge.close();
			}
		}
	}

	@Test
	void anInstanceKilledMidCreateLeavesTheVeOnceOrNotAtAll() throws Exception {
		// the node's own pool: its VEs' addresses are routed to it
		pools.create(new IpPoolForm("loss-pool", "192.0.2.10", "192.0.2.20", "192.0.2.1", null, node.name));
		Plan plan = plans.create(new PlanForm("loss-plan", "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "0",
				"0", "", "0", "", ""));
		long owner = fixtures.customer("loss-cust", PASSWORD, plan, 2);
		String token = TestBrowser.token(port, "loss-cust", PASSWORD);

		// the second instance, in a JVM of its own, with this one's database, engine settings and fleet authority
		int portB = FleetTestNode.freePort();
		Process b = startInstance(portB);
		instances.add(b);
		awaitServing(portB, b);

		HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB
				+ "/api/v1/ves")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"plan\":" + plan.getId() + ",\"template\":\"busybox\","
					+ "\"hostname\":\"lost.example.com\",\"rootPassword\":\"Root-Of-Lost-Ve-1\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
		long jobId = JSON.readTree(created.body()).path("id").asLong();
		// killed while the job runs: no shutdown, no clean-up of its own
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!jobState(jobId).equals("RUNNING") && System.nanoTime() < until) {
			Thread.sleep(5);
		}
		b.destroyForcibly().waitFor();
		String stateAtKill = jobState(jobId);

		// this instance takes the lease over once it falls due, and settles the job
		until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (List.of("QUEUED", "RUNNING").contains(jobState(jobId)) && System.nanoTime() < until) {
			Thread.sleep(200);
		}
		String settled = jobState(jobId);
		System.out.println("The job was " + stateAtKill + " at the kill, and " + settled + " once settled");
		assertThat(settled).as("settled after the kill (the job was " + stateAtKill + " then)").isIn("SUCCEEDED", "FAILED");
		List<String> engineNames = jdbc.sql("select engine_name from ve where owner_id = ?").param(owner)
			.query(String.class).list();
		long taken = jdbc.sql("select count(*) from ip_address a join ve v on v.id = a.ve_id where v.owner_id = ?")
			.param(owner).query(Long.class).single();
		if (settled.equals("SUCCEEDED")) {
			// finished: once, on the node, running, with its one address
			assertThat(engineNames).hasSize(1);
			String name = engineNames.getFirst();
			assertThat(node.engine.engine.status(name).state()).isEqualTo(VeState.RUNNING);
			assertThat(jdbc.sql("select status from ve where engine_name = ?").param(name).query(String.class).single())
				.isEqualTo("READY");
			assertThat(taken).isEqualTo(1);
			assertThat(node.engine.engine.network(name).addresses()).hasSize(1);
		}
		else {
			// rolled back: nothing on the node, no record, the address free again
			assertThat(engineNames).isEmpty();
			assertThat(taken).isZero();
			assertThat(node.engine.engine.list()).noneMatch(s -> s.hostname().equals("lost.example.com"));
		}
		assertThat(node.engine.engine.list().stream().filter(s -> s.hostname().equals("lost.example.com")).count())
			.as("never twice").isLessThanOrEqualTo(1);
		assertThat(jdbc.sql("select count(*) from scheduled_tasks where task_name = 'job-watch' and task_instance = ?")
			.param(Long.toString(jobId)).query(Long.class).single()).as("the lease is gone with the job").isZero();
		for (String name : engineNames) {
			node.engine.engine.destroy(name);
		}
		assertThatThrownBy(() -> node.engine.engine.status("lost")).isInstanceOf(EngineException.NotFound.class);
	}

	@Test
	void anInstanceKilledMidMoveLeavesTheVeRunningOnExactlyOneNode() throws Exception {
		Plan plan = plans.create(new PlanForm("loss-move", "64M", "0", "1", "", "100", "128", "1G", "", "", "", "0", "0",
				"0", "", "0", "", ""));
		long owner = fixtures.customer("loss-mover", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "mover.loss.example");
		String name = jdbc.sql("select engine_name from ve where id = ?").param(veId).query(String.class).single();
		long holder = jdbc.sql("select node_id from ve where id = ?").param(veId).query(Long.class).single();
		FleetTestNode from = holder == node.id ? node : other;
		FleetTestNode to = from == node ? other : node;
		assertThat(from.engine.sh(name, "dd if=/dev/urandom of=/root/big bs=1M count=400 2>/dev/null; sync").exitCode())
			.isZero();
		String admin = TestBrowser.token(port, "admin", PanelTest.ADMIN_PASSWORD);

		int portB = FleetTestNode.freePort();
		Process b = startInstance(portB);
		instances.add(b);
		awaitServing(portB, b);
		HttpResponse<String> moving = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB
				+ "/api/v1/admin/ves/" + veId + "/migrate")).header("Authorization", "Bearer " + admin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"" + to.name + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(moving.statusCode()).as(moving.body()).isEqualTo(202);
		long jobId = JSON.readTree(moving.body()).path("id").asLong();
		// killed while it copies: no shutdown, no clean-up of its own
		long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!jdbc.sql("select progress from job where id = ?").param(jobId).query(String.class).single()
			.startsWith("copying") && System.nanoTime() < until) {
			Thread.sleep(5);
		}
		b.destroyForcibly().waitFor();
		String stepAtKill = jdbc.sql("select step from ve_move where job_id = ?").param(jobId).query(String.class)
			.single();

		// this instance takes the lease over once it falls due, and takes the move up from its step
		until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (List.of("QUEUED", "RUNNING").contains(jobState(jobId)) && System.nanoTime() < until) {
			Thread.sleep(200);
		}
		String settled = jobState(jobId);
		System.out.println("The move was at " + stepAtKill + " at the kill, and " + settled + " once settled");
		assertThat(settled).isIn("SUCCEEDED", "FAILED");
		long on = jdbc.sql("select node_id from ve where id = ?").param(veId).query(Long.class).single();
		FleetTestNode holding = on == node.id ? node : other;
		FleetTestNode without = holding == node ? other : node;
		assertThat(holding).isSameAs(settled.equals("SUCCEEDED") ? to : from);
		assertThat(holding.engine.engine.status(name).state()).isEqualTo(VeState.RUNNING);
		assertThat(without.engine.engine.list()).as("never on two nodes").noneMatch(s -> s.name().equals(name));
		assertThat(jdbc.sql("select status from ve where id = ?").param(veId).query(String.class).single())
			.isEqualTo("READY");
		assertThat(holding.engine.sh(name, "test -s /root/big").exitCode()).isZero();
		holding.engine.engine.destroy(name);
	}

	private String jobState(long jobId) {
		return jdbc.sql("select state from job where id = ?").param(jobId).query(String.class).single();
	}

	private Process startInstance(int portB) throws IOException {
		Path dataDir = Files.createDirectories(dir.resolve("instance-" + portB));
		// the fleet's authority is shared by every instance (README: copy cairn.data-dir/fleet)
		Path fleet = Path.of(environment.getProperty("cairn.data-dir")).resolve("fleet");
		Files.createDirectories(dataDir.resolve("fleet"));
		for (String file : List.of("ca.key", "ca.crt")) {
			Files.copy(fleet.resolve(file), dataDir.resolve("fleet").resolve(file));
		}
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("java.class.path"), "org.cairn.Cairn", "--server.port=" + portB,
				"--cairn.data-dir=" + dataDir, "--cairn.fleet.local-node=false", "--cairn.fleet.check-every=PT1H",
				"--cairn.jobs.lease=PT3S"));
		for (String key : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
				"cairn.engine.root", "cairn.engine.cgroup-parent", "cairn.engine.first-uid", "cairn.engine.node-netns",
				"cairn.admin.password")) {
			command.add("--" + key + "=" + environment.getProperty(key));
		}
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("instance-" + portB + ".log").toFile())
			.start();
	}

	private void awaitServing(int portB, Process b) throws Exception {
		long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (System.nanoTime() < until) {
			assertThat(b.isAlive()).as(() -> "instance B died: " + log(portB)).isTrue();
			try {
				if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB + "/login")).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("instance B did not serve within 120 s: " + log(portB));
	}

	private String log(int portB) {
		try {
			String text = Files.readString(dir.resolve("instance-" + portB + ".log"));
			return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
		}
		catch (IOException ex) {
			return ex.getMessage();
		}
	}
}
