// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.nio.file.Path;

import org.cairn.engine.EngineSettings;
import org.cairn.engine.VeEngine;
import org.cairn.engine.network.NodeNetwork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The one door from the panel to the kernel: the engine of the panel's own node, opened on
 * {@code cairn.engine.root} (by default {@code cairn.data-dir}/engine), adopting the VEs that ran while the panel
 * was away. The rest of the panel sees the fleet's engine ({@code FleetVeEngine}), which routes to it or to a node.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

	@Bean
	@Lazy
	VeEngine localVeEngine(@Value("${cairn.engine.root:${cairn.data-dir:/var/lib/cairn}/engine}") Path root,
			@Value("${cairn.engine.cgroup-parent:cairn}") String cgroupParent,
			@Value("${cairn.engine.first-uid:1048576}") long firstUid, @Value("${cairn.engine.cgroup:auto}") String cgroup,
			@Value("${cairn.engine.node-netns:}") String nodeNetns) {
		NodeNetwork node = nodeNetns.isBlank() ? NodeNetwork.HOST : new NodeNetwork(Path.of(nodeNetns));
		return VeEngine.open(new EngineSettings(root, cgroupParent, firstUid, cgroup, Path.of("/sys/fs/cgroup")).withNode(node));
	}
}
