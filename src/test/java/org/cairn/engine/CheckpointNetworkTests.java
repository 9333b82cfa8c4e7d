// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRule;
import org.cairn.engine.network.VeNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpointed VE's network (a node namespace of the test's own): its address, link, routes and firewall come back
 * with it, and a TCP connection it served goes on where it stopped (CRIU's tcp-established), the client none the
 * wiser.
 */
class CheckpointNetworkTests extends NodeNetworkTest {

	private static final String A4 = "198.51.100.20";

	@Test
	void aTcpConnectionOfTheVeGoesOnCountingAcrossACheckpoint() throws Exception {
		engine.create(new VeSpec("streamer", "busybox", null, null, null, ResourceLimits.NONE,
				new VeNetwork(List.of(VeNetwork.parseAddress("ip", A4)), List.of(), 0)));
		engine.start("streamer");
		assertThat(test.sh("streamer", "mkdir -p /www && echo served > /www/index.html && httpd -p 8080 -h /www"
				+ " && httpd -p 8081 -h /www").exitCode()).isZero();
		engine.setFirewall("streamer", new Firewall(FirewallRule.Action.DROP, true, true,
				List.of(FirewallRule.parse("allow tcp 8080"), FirewallRule.parse("allow tcp 9000"))));
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/")).isEqualTo("served\n");
		assertThat(fetch(8081)).as("its firewall drops what its owner did not allow").isEmpty();
		assertThat(test.sh("streamer", "setsid sh -c 'i=0; while :; do echo $i; i=$((i+1)); sleep 0.05; done"
				+ " | nc -l -p 9000' > /dev/null 2>&1 < /dev/null &").exitCode()).isZero();
		TestEngine.waitFor(() -> test.sh("streamer", "netstat -ltn").output().contains(":9000"),
				java.time.Duration.ofSeconds(5), "the VE listens");
		Process client = node.background("busybox", "nc", A4, "9000");
		List<Long> received = new CopyOnWriteArrayList<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try (BufferedReader lines = client.inputReader()) {
				for (String line; (line = lines.readLine()) != null;) {
					received.add(Long.parseLong(line.strip()));
				}
			}
			catch (Exception ex) {
				// the client ended: the assertions below say what it got
			}
		});
		TestEngine.waitFor(() -> received.size() > 10, java.time.Duration.ofSeconds(5), "the client counts");

		engine.checkpoints().checkpoint("streamer");
		int atSave = received.size();
		Thread.sleep(500);
		assertThat(received).as("nothing comes while the VE is saved").hasSize(atSave);
		engine.checkpoints().restore("streamer");
		TestEngine.waitFor(() -> received.size() > atSave + 10, java.time.Duration.ofSeconds(10),
				"the client counts again");

		assertThat(client.isAlive()).as("the client's connection survived").isTrue();
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < received.size(); i++) {
			if (received.get(i) != received.get(i - 1) + 1) {
				gaps.add(received.get(i - 1));
			}
		}
		assertThat(gaps).as("every number once, in order, across the checkpoint").isEmpty();
		assertThat(test.sh("streamer", "ip addr show dev eth0").output()).contains("inet " + A4 + "/32");
		assertThat(node.run("busybox", "ping", "-c", "1", "-W", "2", A4)).contains("1 packets received");
		assertThat(node.run("busybox", "wget", "-q", "-O", "-", "http://" + A4 + ":8080/"))
			.as("its web server takes new connections").isEqualTo("served\n");
		assertThat(fetch(8081)).as("its firewall came back with it").isEmpty();
		client.destroyForcibly();
		reader.join(5000);
	}

	private String fetch(int port) {
		TestEngine.Result fetched = node.attempt("timeout", "3", "busybox", "wget", "-q", "-O", "-",
				"http://" + A4 + ":" + port + "/");
		return fetched.exitCode() == 0 ? fetched.output().strip() : "";
	}
}
