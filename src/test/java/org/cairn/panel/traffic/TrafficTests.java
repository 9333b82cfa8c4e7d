// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.cairn.engine.TestNode;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.engine.VeUsage;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.plan.PlanForm;
import org.cairn.panel.usage.CountersRead;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Monthly traffic of a real VE, served to the node's namespace: counted from its link's counters across a
 * restart, throttled at the allowance (the rate measured), lifted at the next period (a clock the test sets:
 * each reading and check is given its time), suspended instead where the plan says, restored when an admin adds
 * traffic; read by billing systems per period.
 */
class TrafficTests extends PanelTest {

	private static final String PASSWORD = "Traffic-Meter-Secret-2";

	private static final long MB = 1L << 20;

	@Autowired
	TrafficMeter meter;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	PlanCatalog plans;

	@Autowired
	Fixtures fixtures;

	@Autowired
	AuditLog audit;

	@Autowired
	org.cairn.panel.network.IpPools pools;

	private final TestNode node = PanelEngine.node();

	/** What the sampler hands the meter every 10 s, at the time the test says. */
	private void read(String engineName, Instant at) {
		VeUsage usage = engine.usage(engineName);
		meter.record(at, List.of(new CountersRead.Reading(engineName, engine.status(engineName).initPid().getAsLong(),
				usage.network().rxBytes(), usage.network().txBytes())));
	}

	private String sh(String engineName, String script) throws Exception {
		Process p = engine.exec(engineName, List.of("sh", "-c", script)).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		p.waitFor();
		return out;
	}

	/** Seconds the node takes to fetch {@code bytes} from the VE's web server. */
	private double fetchSeconds(String address) {
		long t0 = System.nanoTime();
		node.run("busybox", "wget", "-q", "-O", "/dev/null", "http://" + address + ":8080/big");
		return (System.nanoTime() - t0) / 1e9;
	}

	private long serve(long owner, long veId, String engineName) throws Exception {
		sh(engineName, "mkdir -p /www && head -c 262144 /dev/zero > /www/big && httpd -p 8080 -h /www");
		return veId;
	}

	@Test
	void aVesTrafficIsCountedAcrossARestartThrottledAtItsAllowanceAndLiftedNextPeriod() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"traffic v4\",\"first\":\"198.51.100.230\",\"last\":\"198.51.100.237\"}"));
		// 1.5 MB a month, both directions, periods from the 15th, then throttled to 1 Mbit/s
		Plan plan = plans.create(new PlanForm("Metered", "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "0", "0",
				"", "0", "", "", "20", "0", "64", "1536K", "both", "15", "throttle", "1M"));
		long owner = fixtures.customer("traffic-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "metered.example.com");
		String name = management.owned(owner, veId).getEngineName();
		String address = management.get(owner, veId).addresses().get(0);
		serve(owner, veId, name);
		Instant november = Instant.parse("2026-11-20T10:00:00Z");
		read(name, november);
		long first = meter.view(veId, null, november).countedBytes();

		fetchSeconds(address);
		read(name, november.plusSeconds(10));
		TrafficView once = meter.view(veId, null, november.plusSeconds(10));
		assertThat(once.txBytes() - 0).as("what the VE sent").isGreaterThan(256 * 1024);
		assertThat(once.period()).isEqualTo("2026-11");
		assertThat(once.start()).hasToString("2026-11-15");
		assertThat(once.overAction()).isNull();

		// a restart: the link and its counters are new; nothing counted is lost, nothing counted twice
		engine.stop(name, Duration.ofSeconds(10));
		engine.start(name);
		sh(name, "httpd -p 8080 -h /www");
		fetchSeconds(address);
		fetchSeconds(address);
		read(name, november.plusSeconds(20));
		TrafficView after = meter.view(veId, null, november.plusSeconds(20));
		assertThat(after.txBytes() - once.txBytes()).as("two fetches after the restart").isGreaterThan(2 * 256 * 1024);
		assertThat(first).isLessThan(once.countedBytes());
		assertThat(after.countedBytes()).isGreaterThanOrEqualTo(once.countedBytes() + 2 * 256 * 1024);

		// beyond 1.5 MB: what the VE sends is throttled to 1 Mbit/s (256 KB take about 2 s)
		while (meter.view(veId, null, november.plusSeconds(30)).percent() < 100) {
			fetchSeconds(address);
			read(name, november.plusSeconds(30));
		}
		TrafficView over = meter.view(veId, null, november.plusSeconds(30));
		assertThat(over.overAction()).isEqualTo("throttled");
		assertThat(engine.network(name).egressBitsPerSecond()).isEqualTo(1_000_000);
		double throttled = fetchSeconds(address);
		assertThat(throttled).as("256 KB at 1 Mbit/s").isBetween(1.5, 4.0);
		String page = mvc.perform(get("/customer/ves/" + veId).session(signIn("traffic-owner", PASSWORD))).andReturn()
			.getResponse().getContentAsString();
		assertThat(page).contains("traffic is used up: the VE is throttled until 2026-12-15");

		// the next period lifts it; the old one stays readable for billing
		meter.liftEnded(Instant.parse("2026-12-15T00:00:30Z"));
		assertThat(engine.network(name).egressBitsPerSecond()).isZero();
		assertThat(fetchSeconds(address)).as("full speed again").isLessThan(1.0);
		String billed = mvc.perform(get("/api/v1/admin/ves/" + veId + "/traffic?period=2026-11").session(admin))
			.andReturn().getResponse().getContentAsString();
		assertThat(billed).contains("\"period\":\"2026-11\"").contains("\"allowanceBytes\":" + 1536 * 1024)
			.contains("\"overAction\":null");
		assertThat(mvc.perform(get("/api/v1/admin/ves/" + veId + "/traffic?period=November").session(admin)).andReturn()
			.getResponse().getContentAsString()).contains("\"field\":\"period\"");
		assertThat(mvc.perform(get("/api/v1/ves/" + veId + "/traffic").session(signIn("traffic-owner", PASSWORD)))
			.andReturn().getResponse().getStatus()).isEqualTo(200);
		assertThat(audit.find(new AuditFilter("system", "TRAFFIC_OVER", null, null, null), 0).getContent()).isNotEmpty();
		assertThat(audit.find(new AuditFilter("system", "TRAFFIC_RESTORED", null, null, null), 0).getContent()).isNotEmpty();
		destroyWithPool(owner, veId, "metered.example.com", "traffic v4");
	}

	/** No later test gets this test's addresses. */
	private void destroyWithPool(long owner, long veId, String hostname, String pool) {
		org.cairn.panel.ve.Jobs.await(management, owner, management.destroy(owner, veId, hostname).id());
		pools.all().stream().filter(p -> p.name().equals(pool)).forEach(p -> pools.delete(p.id()));
	}

	@Test
	void aPlanThatSuspendsSuspendsAndMoreTrafficFromAnAdminResumes() throws Exception {
		MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
		mvc.perform(post("/api/v1/admin/ip-pools").session(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"traffic v4 b\",\"first\":\"198.51.100.238\",\"last\":\"198.51.100.239\"}"));
		Plan plan = plans.create(new PlanForm("Metered out", "64M", "0", "1", "", "100", "128", "", "", "", "", "1", "0",
				"0", "", "0", "", "", "20", "0", "64", "512K", "out", "1", "suspend", ""));
		long owner = fixtures.customer("traffic-suspended", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "suspended.example.com");
		String name = management.owned(owner, veId).getEngineName();
		String address = management.get(owner, veId).addresses().get(0);
		serve(owner, veId, name);
		Instant now = Instant.parse("2026-11-20T10:00:00Z");
		read(name, now);
		fetchSeconds(address);
		fetchSeconds(address);
		fetchSeconds(address);
		read(name, now.plusSeconds(10));
		assertThat(meter.view(veId, null, now.plusSeconds(10)).overAction()).isEqualTo("suspended");
		assertThat(engine.status(name).state()).isEqualTo(VeState.SUSPENDED);
		assertThat(mvc.perform(post("/api/v1/admin/ves/" + veId + "/traffic").session(admin).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"add\":\"lots\"}")).andReturn().getResponse()
			.getContentAsString()).contains("\"field\":\"add\"");
		// the real clock: "now" of the admin's request is today, in this period or the next one
		meter.add(veId, 100 * MB, now.plusSeconds(20));
		assertThat(engine.status(name).state()).isEqualTo(VeState.RUNNING);
		assertThat(meter.view(veId, null, now.plusSeconds(20)).overAction()).isNull();
		destroyWithPool(owner, veId, "suspended.example.com", "traffic v4 b");
	}
}
