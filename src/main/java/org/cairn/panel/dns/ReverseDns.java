// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The PowerDNS server PTR records go to: the one {@code cairn.dns.api-url} names (with {@code cairn.dns.api-key}),
 * or one Cairn runs itself ({@link ManagedPowerDns}) when none is named. Without either (pdns-server not
 * installed), reverse DNS is off and says why; the panel runs on.
 */
@Component
class ReverseDns implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ReverseDns.class);

	private final Path dataDir;

	private final String apiUrl;

	private final String apiKey;

	private final String serverId;

	private final String listen;

	private final String osUser;

	private volatile ManagedPowerDns managed;

	private volatile PowerDns client;

	private volatile String off = "reverse DNS has not started yet";

	ReverseDns(@Value("${cairn.data-dir:/var/lib/cairn}") Path dataDir, @Value("${cairn.dns.api-url:}") String apiUrl,
			@Value("${cairn.dns.api-key:}") String apiKey, @Value("${cairn.dns.server-id:localhost}") String serverId,
			@Value("${cairn.dns.listen:127.0.0.1:5300}") String listen, @Value("${cairn.dns.os-user:pdns}") String osUser) {
		this.dataDir = dataDir;
		this.apiUrl = apiUrl;
		this.apiKey = apiKey;
		this.serverId = serverId;
		this.listen = listen;
		this.osUser = osUser;
	}

	@Override
	public void start() {
		if (!apiUrl.isBlank()) {
			client = new PowerDns(apiUrl, apiKey, serverId);
			off = null;
			return;
		}
		Optional<String> missing = ManagedPowerDns.missing();
		if (missing.isPresent()) {
			off = "reverse DNS is off on this node: " + missing.get() + ", or set cairn.dns.api-url";
			log.warn("{}", off);
			return;
		}
		try {
			managed = ManagedPowerDns.start(dataDir, listen, osUser);
			client = new PowerDns(managed.apiUrl(), managed.apiKey(), "localhost");
			off = null;
		}
		catch (RuntimeException ex) {
			off = "reverse DNS is off on this node: " + ex.getMessage();
			log.warn("{}", off);
		}
	}

	@Override
	public void stop() {
		ManagedPowerDns server = managed;
		managed = null;
		client = null;
		off = "reverse DNS has stopped";
		if (server != null) {
			server.close();
		}
	}

	@Override
	public boolean isRunning() {
		return client != null;
	}

	/** The API, or why there is none. */
	PowerDns client() {
		PowerDns current = client;
		if (current == null) {
			throw new PtrException.Off(off);
		}
		return current;
	}

	/** Where the managed server answers DNS queries (for tests and the admin's dashboard); empty otherwise. */
	Optional<String> managedListen() {
		ManagedPowerDns server = managed;
		return server == null ? Optional.empty()
				: Optional.of(server.listenAddress().getHostAddress() + ":" + server.listenPort());
	}

	Optional<String> offReason() {
		return Optional.ofNullable(off);
	}
}
