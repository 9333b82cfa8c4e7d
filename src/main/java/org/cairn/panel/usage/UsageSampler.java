// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.usage;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.engine.VeStatus;
import org.cairn.engine.VeUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads what every running VE of the node uses, every few seconds, so that pages listing hundreds of VEs show
 * it without asking the kernel for each one while they render.
 */
@Component
public class UsageSampler {

	private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

	private final VeEngine engine;

	private final Map<String, VeUsage> latest = new ConcurrentHashMap<>();

	UsageSampler(@Lazy VeEngine engine) {
		this.engine = engine;
	}

	@Scheduled(initialDelayString = "${cairn.usage.sample-every:PT10S}", fixedDelayString = "${cairn.usage.sample-every:PT10S}")
	public void sampleAll() {
		try {
			Set<String> running = engine.list().stream().filter(s -> s.state() == VeState.RUNNING)
				.map(VeStatus::name).collect(Collectors.toSet());
			latest.keySet().retainAll(running);
			for (String name : running) {
				try {
					latest.put(name, engine.usage(name));
				}
				catch (EngineException ex) {
					latest.remove(name);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Sampling the VEs' usage: {}", ex.getMessage());
		}
	}

	/** The VE's last sample, if it ran at the last sampling. */
	public Optional<VeUsage> latest(String engineName) {
		return Optional.ofNullable(latest.get(engineName));
	}
}
