// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.VeEngine;
import org.cairn.panel.Fixtures;
import org.cairn.panel.PanelTest;
import org.cairn.panel.plan.Plan;
import org.cairn.panel.ve.VeManagement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Usage sampled into PostgreSQL: a busy VE's CPU in its history, the node's totals, the Prometheus metrics, and
 * fine samples averaged into 5-minute ones, then dropped when too old.
 */
class UsageTests extends PanelTest {

	private static final String PASSWORD = "Usage-Test-Secret-6";

	@Autowired
	Fixtures fixtures;

	@Autowired
	VeManagement management;

	@Autowired
	VeEngine engine;

	@Autowired
	UsageSampler sampler;

	@Autowired
	UsageStore store;

	@Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	private String sh(String engineName, String script) throws Exception {
		Process p = engine.exec(engineName, List.of("sh", "-c", script)).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		return out;
	}

	@Test
	void aBusyVesCpuShowsInItsHistoryTheNodesTotalsAndPrometheus() throws Exception {
		Plan plan = fixtures.plan("Usage plan", "0", "");
		long owner = fixtures.customer("use-owner", PASSWORD, plan, 1);
		long veId = fixtures.ve(owner, plan, "busy.example.com");
		String name = management.owned(owner, veId).getEngineName();
		try {
			sampler.sampleAll();
			sh(name, "(while :; do :; done) </dev/null >/dev/null 2>&1 &");
			Thread.sleep(2500);
			sampler.sampleAll();
			MockHttpSession session = signIn("use-owner", PASSWORD);
			String history = mvc.perform(get("/api/v1/ves/" + veId + "/usage/history").param("range", "hour")
				.session(session)).andReturn().getResponse().getContentAsString();
			assertThat(history).contains("\"resolution\":10");
			List<Double> cpu = numbers(history, "cpu");
			assertThat(cpu).hasSizeGreaterThanOrEqualTo(2);
			assertThat(cpu.get(cpu.size() - 1)).as("the busy loop's CPU, " + history).isGreaterThan(50.0);
			assertThat(numbers(history, "memory").get(cpu.size() - 1)).isGreaterThan(0.0);
			assertThat(numbers(history, "processes").get(cpu.size() - 1)).as("init and the loop").isGreaterThanOrEqualTo(2.0);

			MvcResult badRange = mvc.perform(get("/api/v1/ves/" + veId + "/usage/history").param("range", "year")
				.session(session)).andReturn();
			assertThat(badRange.getResponse().getStatus()).isEqualTo(400);
			assertThat(badRange.getResponse().getContentAsString()).contains("\"field\":\"range\"");

			MockHttpSession admin = signIn(ADMIN, ADMIN_PASSWORD);
			String node = mvc.perform(get("/api/v1/admin/node/usage/history").session(admin)).andReturn().getResponse()
				.getContentAsString();
			List<Double> nodeCpu = numbers(node, "cpu");
			assertThat(nodeCpu.get(nodeCpu.size() - 1)).as("the node's total holds the busy VE").isGreaterThan(50.0);
			assertThat(mvc.perform(get("/admin/node").session(admin)).andReturn().getResponse().getContentAsString())
				.contains("Busiest VEs").contains("busy.example.com");

			String metrics = mvc.perform(get("/actuator/prometheus").session(admin)).andReturn().getResponse()
				.getContentAsString();
			assertThat(metrics).containsPattern("cairn_ve_cpu_percent\\{owner=\"" + owner + "\",ve=\"" + name
					+ "\"} [5-9][0-9]|cairn_ve_cpu_percent\\{owner=\"" + owner + "\",ve=\"" + name + "\"} 1[0-9][0-9]")
				.contains("cairn_ve_memory_bytes{owner=\"" + owner + "\",ve=\"" + name + "\"}")
				.contains("cairn_node_cpu_percent ").contains("cairn_usage_sampling_cpu_seconds_total");
			// Prometheus scrapes with an admin's token; a customer's token is refused
			String adminToken = token(ADMIN, ADMIN_PASSWORD);
			assertThat(mvc.perform(get("/actuator/prometheus").header("Authorization", "Bearer " + adminToken))
				.andReturn().getResponse().getStatus()).isEqualTo(200);
			assertThat(mvc.perform(get("/actuator/prometheus").header("Authorization", "Bearer " + token("use-owner",
					PASSWORD))).andReturn().getResponse().getStatus()).isEqualTo(403);
		}
		finally {
			// the busy loop ends with its VE: later tests get both CPUs back
			engine.stop(name, java.time.Duration.ofSeconds(2));
		}
	}

	@Test
	void anInstanceThatDidNotTakeTheRoundShowsItFromTheDatabase() throws Exception {
		// another instance's round, a second ahead of any this one took
		Instant at = Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		try {
			for (String ve : List.of("elsewhere-ve", UsageSample.NODE)) {
				jdbc.update("""
						insert into usage_sample (ve_name, resolution, at, cpu_percent, memory_bytes, swap_bytes, processes,
						  disk_used_bytes, rx_bps, tx_bps, read_bps, write_bps)
						values (?, 10, ?, 12.5, 123456789, 0, 3, 4096, 0, 0, 0, 0)""", ve, java.sql.Timestamp.from(at));
			}
			sampler.catchUp();
			assertThat(sampler.latest("elsewhere-ve")).hasValueSatisfying(sample -> {
				assertThat(sample.memoryBytes()).isEqualTo(123456789);
				assertThat(sample.processes()).isEqualTo(3);
			});
			assertThat(sampler.busiest(5)).extracting(UsageSample::ve).contains("elsewhere-ve").doesNotContain(UsageSample.NODE);
			String metrics = mvc.perform(get("/actuator/prometheus").session(signIn(ADMIN, ADMIN_PASSWORD))).andReturn()
				.getResponse().getContentAsString();
			assertThat(metrics).contains("cairn_ve_memory_bytes{owner=\"0\",ve=\"elsewhere-ve\"} 1.23456789E8");
		}
		finally {
			jdbc.update("delete from usage_sample where at = ?", java.sql.Timestamp.from(at));
		}
	}

	private String token(String user, String password) throws Exception {
		String json = mvc.perform(post("/api/v1/tokens").with(csrf())
			.header("Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
			.contentType("application/json").content("{\"name\":\"scrape\",\"days\":1}"))
			.andReturn().getResponse().getContentAsString();
		return json.replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
	}

	private static List<Double> numbers(String json, String key) {
		String array = json.replaceAll("(?s).*\"" + key + "\":\\[([^\\]]*)\\].*", "$1");
		List<Double> values = new ArrayList<>();
		for (String part : array.split(",")) {
			if (!part.isBlank()) {
				values.add(Double.parseDouble(part));
			}
		}
		return values;
	}

	@Test
	void fineSamplesBecomeFiveMinuteAveragesAndOldOnesGo() {
		Instant bucket = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 300 * 300 - 600);
		List<UsageSample> samples = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			samples.add(new UsageSample("vedownsample", bucket.plusSeconds(i * 10), i < 15 ? 10 : 30, 1000 + i, 0, 4, 0,
					100, 0, 0, 0));
		}
		samples.add(new UsageSample("vedownsample", Instant.now().minusSeconds(3 * 86400), 99, 1, 0, 1, 0, 0, 0, 0, 0));
		store.save(samples);
		store.downsampleAndPrune();
		store.downsample(Instant.now());
		UsageHistory week = store.history("vedownsample", "week");
		assertThat(week.resolution()).isEqualTo(300);
		assertThat(week.t()).containsExactly(bucket.getEpochSecond());
		assertThat(week.cpu()).containsExactly(20.0);
		assertThat(week.memory()).containsExactly(1015L);
		assertThat(store.history("vedownsample", "day").t()).as("fine samples older than a day are gone").hasSize(30);
		jdbc.update("delete from usage_sample where ve_name = 'vedownsample'");
	}
}
