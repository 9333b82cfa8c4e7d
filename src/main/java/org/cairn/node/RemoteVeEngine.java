// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.cairn.engine.EngineException;
import org.cairn.engine.NodeCapacity;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeBackups;
import org.cairn.engine.VeCheckpoint;
import org.cairn.engine.VeCheckpoints;
import org.cairn.engine.VeConsole;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeReading;
import org.cairn.engine.VeSnapshots;
import org.cairn.engine.VeSpec;
import org.cairn.engine.VeStatus;
import org.cairn.engine.VeUsage;
import org.cairn.engine.backup.RetentionPolicy;
import org.cairn.engine.backup.Snapshot;
import org.cairn.engine.backup.SnapshotEntry;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.engine.network.VeNetwork;
import org.cairn.engine.template.Template;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine of another node, through its agent ({@link NodeAgentApi}) over HTTPS with mutual TLS: the panel's
 * certificate, and the node's certificate checked against the fleet's authority and the pinned fingerprint (see
 * {@link FleetTls}). The agent's refusals come back as the engine's own exceptions; a node that does not answer is
 * {@link EngineException.Unreachable}, and nothing was done on it.
 *
 * <p>A console goes over a WebSocket of the agent's ({@link RemoteConsole}); backups go to the node's own repository.
 * What is not carried over yet (commands, template imports, the node's own firewall and NAT) is refused with a
 * message that says so.
 */
public final class RemoteVeEngine implements VeEngine {

	/** A read the panel waits on while a page is drawn. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

	/** An operation that may stop a VE (30 s by default) or copy a template's tree. */
	private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(10);

	private final String node;

	private final URI base;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/**
	 * @param node the node's name, for messages
	 * @param base {@code https://HOST:PORT} of its agent
	 * @param tls the panel's identity and the trust in this node ({@link FleetTls#client})
	 */
	public RemoteVeEngine(String node, URI base, SSLContext tls) {
		this.node = node;
		this.base = base;
		this.http = HttpClient.newBuilder()
			.sslContext(tls)
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	public String node() {
		return node;
	}

	/**
	 * Takes no more calls, lets those under way end and closes the idle connections to the node: once the panel
	 * has forgotten it (removed, moved, a new identity).
	 */
	public void close() {
		http.shutdown();
	}

	/** A certificate rotation: the node makes a new key and answers a certificate request for it (PEM). */
	public String certificateRequest() {
		return send("POST", "/v1/identity/request", null, AgentBodies.Pem.class).pem();
	}

	/** The rotation's end: the node puts the signed certificate (PEM) in place with its new key and reloads. */
	public void installCertificate(String pem) {
		send("PUT", "/v1/identity/certificate", new AgentBodies.Pem(pem), Void.class);
	}

	/** The node's software, kernel, capacity and templates: one call, for the nodes page and placement. */
	public NodeFacts facts() {
		return get("/v1/node", NodeFacts.class);
	}

	@Override
	public VeStatus create(VeSpec spec) {
		return send("POST", "/v1/ves", spec, VeStatus.class);
	}

	@Override
	public VeStatus createAndStart(VeSpec spec, boolean nesting) {
		return send("POST", "/v1/ves?start=true&nesting=" + nesting, spec, VeStatus.class);
	}

	@Override
	public VeStatus start(String name) {
		return send("POST", ve(name) + "/start", null, VeStatus.class);
	}

	@Override
	public VeStatus stop(String name, Duration timeout) {
		return send("POST", ve(name) + "/stop?timeout=" + timeout.toSeconds(), null, VeStatus.class);
	}

	@Override
	public VeStatus restart(String name, Duration timeout) {
		return send("POST", ve(name) + "/restart?timeout=" + timeout.toSeconds(), null, VeStatus.class);
	}

	@Override
	public VeStatus suspend(String name) {
		return send("POST", ve(name) + "/suspend", null, VeStatus.class);
	}

	@Override
	public VeStatus resume(String name) {
		return send("POST", ve(name) + "/resume", null, VeStatus.class);
	}

	@Override
	public void destroy(String name) {
		send("DELETE", ve(name), null, Void.class);
	}

	@Override
	public VeStatus status(String name) {
		return get(ve(name), VeStatus.class);
	}

	@Override
	public VeStatus reinstall(String name, String template, @Nullable String rootPassword, @Nullable String sshKey,
			Duration timeout) {
		return send("POST", ve(name) + "/reinstall",
				new AgentBodies.Reinstall(template, rootPassword, sshKey, (int) timeout.toSeconds()), VeStatus.class);
	}

	@Override
	public void setRootAccess(String name, @Nullable String rootPassword, @Nullable String sshKey) {
		send("PUT", ve(name) + "/root-access", new AgentBodies.RootAccess(rootPassword, sshKey), Void.class);
	}

	@Override
	public VeStatus setHostname(String name, String hostname) {
		return send("PUT", ve(name) + "/hostname", new AgentBodies.Hostname(hostname), VeStatus.class);
	}

	@Override
	public ResourceLimits limits(String name) {
		return get(ve(name) + "/limits", ResourceLimits.class);
	}

	@Override
	public VeStatus set(String name, ResourceLimits limits) {
		return send("PUT", ve(name) + "/limits", limits, VeStatus.class);
	}

	@Override
	public VeNetwork network(String name) {
		return get(ve(name) + "/network", VeNetwork.class);
	}

	@Override
	public VeStatus setNetwork(String name, VeNetwork network) {
		return send("PUT", ve(name) + "/network", network, VeStatus.class);
	}

	@Override
	public Firewall firewall(String name) {
		return get(ve(name) + "/firewall", Firewall.class);
	}

	@Override
	public VeStatus setFirewall(String name, Firewall firewall) {
		return send("PUT", ve(name) + "/firewall", firewall, VeStatus.class);
	}

	@Override
	public List<NodeRule> nodeFirewall() {
		return get("/v1/node/firewall", AgentBodies.NodeRules.class).rules().stream().map(NodeRule::parse).toList();
	}

	@Override
	public void setNodeFirewall(List<NodeRule> rules) {
		send("PUT", "/v1/node/firewall", new AgentBodies.NodeRules(rules.stream().map(NodeRule::toString).toList()),
				Void.class);
	}

	@Override
	public void setNodeRulesExempt(String name, boolean exempt) {
		send("PUT", ve(name) + "/node-rules-exempt", new AgentBodies.Flag(exempt), Void.class);
	}

	@Override
	public boolean nodeRulesExempt(String name) {
		return get(ve(name) + "/node-rules-exempt", AgentBodies.Flag.class).on();
	}

	@Override
	public Optional<String> outboundNat() {
		return Optional.ofNullable(get("/v1/node/nat", AgentBodies.Nat.class).device());
	}

	@Override
	public void setOutboundNat(Optional<String> device) {
		send("PUT", "/v1/node/nat", new AgentBodies.Nat(device.orElse(null)), Void.class);
	}

	@Override
	public VeUsage usage(String name) {
		return get(ve(name) + "/usage", VeUsage.class);
	}

	@Override
	public List<VeStatus> list() {
		return get("/v1/ves", new TypeReference<List<VeStatus>>() {
		});
	}

	@Override
	public List<VeReading> readings() {
		return get("/v1/readings", new TypeReference<List<VeReading>>() {
		});
	}

	@Override
	public ProcessBuilder exec(String name, List<String> command, boolean tty) {
		throw notYet("running a command in a VE");
	}

	@Override
	public VeConsole console(String name, List<String> command, int rows, int cols) {
		StringBuilder query = new StringBuilder("?rows=" + rows + "&cols=" + cols);
		command.forEach(arg -> query.append("&arg=").append(path(arg)));
		return RemoteConsole.open(http, socket(ve(name) + "/console" + query), node);
	}

	@Override
	public VeConsole attachConsole(String name) {
		return RemoteConsole.open(http, socket(ve(name) + "/console?attach=true"), node);
	}

	private URI socket(String path) {
		return URI.create("wss://" + base.getRawAuthority() + path);
	}

	@Override
	public String consoleLog(String name, int maxBytes) {
		return get(ve(name) + "/console-log?maxBytes=" + maxBytes, String.class);
	}

	@Override
	public List<Template> templates() {
		return get("/v1/templates", new TypeReference<List<Template>>() {
		});
	}

	/** Builds on the node; its log comes line by line as the node writes it. */
	@Override
	public Template buildTemplate(String name, java.util.function.Consumer<String> progress) {
		return templateWork(name, "build", HttpRequest.newBuilder(base.resolve("/v1/templates/" + path(name) + "/build"))
			.POST(HttpRequest.BodyPublishers.noBody()), progress);
	}

	/**
	 * Sends the archive to the node, which imports it as {@link VeEngine#importTemplate} does here; its log comes
	 * back line by line.
	 */
	@Override
	public Template importTemplate(String name, java.nio.file.Path archive, long maxBytes, String from,
			java.util.function.Consumer<String> progress) {
		HttpRequest.BodyPublisher body;
		try {
			body = HttpRequest.BodyPublishers.ofFile(archive);
		}
		catch (java.io.FileNotFoundException ex) {
			throw new EngineException("template: no archive " + archive);
		}
		return templateWork(name, "import", HttpRequest.newBuilder(base.resolve("/v1/templates/" + path(name)
				+ "?maxBytes=" + maxBytes + "&from=" + path(from)))
			.header("Content-Type", "application/octet-stream")
			.PUT(body), progress);
	}

	/** A build or an import on the node: its log line by line, ending in "built: " or "failed: ". */
	private Template templateWork(String name, String what, HttpRequest.Builder request,
			java.util.function.Consumer<String> progress) {
		HttpResponse<java.util.stream.Stream<String>> response = exchange(request.timeout(CHANGE_TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofLines());
		if (response.statusCode() != 200) {
			String body = String.join("\n", response.body().toList());
			throw response.statusCode() == 404 ? new EngineException.NotFound(detail(body, 404))
					: new EngineException(detail(body, response.statusCode()));
		}
		String last = "";
		try (java.util.stream.Stream<String> lines = response.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.startsWith("failed: ")) {
					throw new EngineException(line.substring("failed: ".length()));
				}
				last = line;
				if (!line.startsWith("built: ")) {
					progress.accept(line);
				}
			}
		}
		catch (java.io.UncheckedIOException ex) {
			throw new EngineException.Unreachable(node, ex.getCause());
		}
		if (!last.startsWith("built: ")) {
			throw new EngineException("node " + node + " ended the " + what + " of " + name
					+ " without saying how it went");
		}
		return templates().stream().filter(t -> t.name().equals(name)).findFirst()
			.orElseThrow(() -> new EngineException("node " + node + " built " + name + " but does not list it"));
	}

	@Override
	public List<String> templateBuilders() {
		return get("/v1/templates/builders", new TypeReference<List<String>>() {
		});
	}

	@Override
	public void exportTemplate(String name, java.nio.file.Path archive) {
		throw notYet("copying a template from it");
	}

	@Override
	public void deleteTemplate(String name) {
		send("DELETE", "/v1/templates/" + path(name), null, Void.class);
	}

	@Override
	public VeBackups backups() {
		return new RemoteBackups();
	}

	@Override
	public void setNesting(String name, boolean on) {
		send("PUT", ve(name) + "/nesting", new AgentBodies.Flag(on), Void.class);
	}

	@Override
	public boolean nesting(String name) {
		return get(ve(name) + "/nesting", AgentBodies.Flag.class).on();
	}

	@Override
	public VeSnapshots snapshots() {
		return new VeSnapshots() {

			@Override
			public Snapshot create(String ve, String name) {
				return send("POST", ve(ve) + "/snapshots/" + path(name), null, Snapshot.class);
			}

			@Override
			public List<Snapshot> list(String ve) {
				return get(ve(ve) + "/snapshots", new TypeReference<List<Snapshot>>() {
				});
			}

			@Override
			public void rollback(String ve, String name) {
				send("POST", ve(ve) + "/snapshots/" + path(name) + "/rollback", null, Void.class);
			}

			@Override
			public void delete(String ve, String name) {
				send("DELETE", ve(ve) + "/snapshots/" + path(name), null, Void.class);
			}
		};
	}

	@Override
	public VeCheckpoints checkpoints() {
		return new VeCheckpoints() {

			@Override
			public VeStatus checkpoint(String ve) {
				return send("POST", ve(ve) + "/checkpoint", null, VeStatus.class);
			}

			@Override
			public VeStatus restore(String ve) {
				return send("POST", ve(ve) + "/checkpoint/restore", null, VeStatus.class);
			}

			@Override
			public Optional<VeCheckpoint> saved(String ve) {
				return Optional.ofNullable(get(ve(ve) + "/checkpoint", AgentBodies.SavedCheckpoint.class).checkpoint());
			}

			@Override
			public void discard(String ve) {
				send("DELETE", ve(ve) + "/checkpoint", null, Void.class);
			}

			@Override
			public Optional<String> unavailable() {
				return Optional.ofNullable(get("/v1/node/checkpoints", AgentBodies.Why.class).why());
			}
		};
	}

	/** The node's backups: its own repository, through its agent. */
	private final class RemoteBackups implements VeBackups {

		@Override
		public Snapshot create(String ve, @Nullable String tag) {
			return send("POST", ve(ve) + "/backups", new AgentBodies.Tag(tag), Snapshot.class);
		}

		@Override
		public ConsistentBackup createConsistent(String ve, @Nullable String tag) {
			return send("POST", ve(ve) + "/backups/consistent", new AgentBodies.Tag(tag), ConsistentBackup.class);
		}

		@Override
		public List<Snapshot> list(String ve) {
			return get(ve(ve) + "/backups", new TypeReference<List<Snapshot>>() {
			});
		}

		@Override
		public List<SnapshotEntry> files(String ve, String snapshot, String path) {
			return get(ve(ve) + "/backups/" + path(snapshot) + "/files?path=" + path(path),
					new TypeReference<List<SnapshotEntry>>() {
					});
		}

		@Override
		public String restore(String ve, String snapshot, String path, @Nullable String to) {
			return send("POST", ve(ve) + "/backups/" + path(snapshot) + "/restore", new AgentBodies.Restore(path, to),
					AgentBodies.Restored.class).text();
		}

		@Override
		public void restoreWhole(String ve, String snapshot) {
			send("POST", ve(ve) + "/backups/" + path(snapshot) + "/restore-whole", null, Void.class);
		}

		@Override
		public List<Snapshot> forget(String ve, RetentionPolicy policy) {
			return send("POST", ve(ve) + "/backups/forget", policy, json.getTypeFactory()
				.constructCollectionType(List.class, Snapshot.class));
		}

		@Override
		public String check(boolean readData) {
			return send("POST", "/v1/backups/check?readData=" + readData, null, AgentBodies.Restored.class).text();
		}

		@Override
		public void schedule(String ve, @Nullable LocalTime time) {
			send("PUT", ve(ve) + "/backup-schedule", new AgentBodies.Schedule(time), Void.class);
		}

		@Override
		public Map<String, LocalTime> schedules() {
			return get("/v1/backups/schedules", new TypeReference<Map<String, LocalTime>>() {
			});
		}

		@Override
		public List<ScheduledBackup> runScheduled(ZonedDateTime now) {
			throw notYet("running every due backup at once");
		}

		@Override
		public List<String> takeDue(ZonedDateTime now) {
			return send("POST", "/v1/backups/due", new AgentBodies.Now(now), json.getTypeFactory()
				.constructCollectionType(List.class, String.class));
		}

		@Override
		public ScheduledBackup runScheduled(String ve) {
			return send("POST", ve(ve) + "/backups/scheduled", null, ScheduledBackup.class);
		}

		@Override
		public String repository() {
			return get("/v1/backups/repository", AgentBodies.Repository.class).location();
		}

		@Override
		public long storedBytes() {
			return get("/v1/backups/repository", AgentBodies.Repository.class).storedBytes();
		}
	}

	@Override
	public NodeCapacity capacity() {
		return facts().capacity();
	}

	@Override
	public String cgroupVersion() {
		return facts().cgroupVersion();
	}

	private static String ve(String name) {
		return "/v1/ves/" + path(name);
	}

	private static String path(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private EngineException notYet(String what) {
		return new EngineException(what + " is not yet offered for VEs on another node (" + node + ")");
	}

	/** A transfer of a VE's files: as long as they take. */
	private static final Duration TRANSFER_TIMEOUT = Duration.ofHours(12);

	@Override
	public org.cairn.engine.VeMigrations migrations() {
		return new org.cairn.engine.VeMigrations() {

			@Override
			public Departure depart(String name) {
				return get(ve(name) + "/departure", Departure.class);
			}

			@Override
			public java.io.InputStream sendFiles(String name, int since, boolean last) {
				return stream(HttpRequest.newBuilder(base.resolve(ve(name) + "/departure/files?since=" + since
						+ "&last=" + last)).POST(HttpRequest.BodyPublishers.noBody()));
			}

			@Override
			public java.io.InputStream sendImage(String name, org.cairn.engine.migration.ImageChunks have,
					boolean last) {
				return stream(HttpRequest.newBuilder(base.resolve(ve(name) + "/departure/image?last=" + last))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(have))));
			}

			@Override
			public void stay(String name) {
				send("DELETE", ve(name) + "/departure", null, Void.class);
			}

			@Override
			public Arrival receive(Departure departure) {
				return send("POST", "/v1/arrivals", departure, Arrival.class);
			}

			@Override
			public void applyFiles(String name, int pass, java.io.InputStream files) {
				upload("/v1/arrivals/" + path(name) + "/files?pass=" + pass, files);
			}

			@Override
			public void applyImage(String name, java.io.InputStream image) {
				upload("/v1/arrivals/" + path(name) + "/image", image);
			}

			@Override
			public VeStatus arrive(String name, boolean start) {
				return send("POST", "/v1/arrivals/" + path(name) + "?start=" + start, null, VeStatus.class);
			}

			@Override
			public void abandon(String name) {
				send("DELETE", "/v1/arrivals/" + path(name), null, Void.class);
			}
		};
	}

	/** A stream the node sends; what it refuses before it begins comes back as the engine's exceptions. */
	private java.io.InputStream stream(HttpRequest.Builder request) {
		HttpResponse<java.io.InputStream> response = exchange(request.timeout(CHANGE_TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() != 200) {
			String body;
			try (java.io.InputStream in = response.body()) {
				body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				body = "";
			}
			throw refusal(response.statusCode(), body);
		}
		return response.body();
	}

	/** Sends a stream to the node, which applies it as it reads it. */
	private void upload(String path, java.io.InputStream body) {
		call(HttpRequest.newBuilder(base.resolve(path))
			.timeout(TRANSFER_TIMEOUT)
			.header("Content-Type", "application/octet-stream")
			.PUT(HttpRequest.BodyPublishers.ofInputStream(() -> body)), json.constructType(Void.class));
	}

	private <T> T get(String path, Class<T> type) {
		return call(HttpRequest.newBuilder(base.resolve(path)).timeout(READ_TIMEOUT).GET(), json.constructType(type));
	}

	private <T> T get(String path, TypeReference<T> type) {
		return call(HttpRequest.newBuilder(base.resolve(path)).timeout(READ_TIMEOUT).GET(), json.constructType(type));
	}

	private <T> T send(String method, String path, @Nullable Object body, Class<T> type) {
		return send(method, path, body, json.constructType(type));
	}

	private <T> T send(String method, String path, @Nullable Object body, JavaType type) {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(CHANGE_TIMEOUT);
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		}
		return call(request, type);
	}

	private <T> T call(HttpRequest.Builder request, JavaType type) {
		HttpResponse<String> response = exchange(request.header("Accept", "application/json").build(),
				HttpResponse.BodyHandlers.ofString());
		int status = response.statusCode();
		if (status >= 300) {
			throw refusal(status, response.body());
		}
		if (type.getRawClass() == Void.class) {
			return null;
		}
		if (type.getRawClass() == String.class) {
			@SuppressWarnings("unchecked")
			T text = (T) response.body();
			return text;
		}
		try {
			return json.readValue(response.body(), type);
		}
		catch (JacksonException ex) {
			throw new EngineException("node " + node + " answered what this panel cannot read (is it another"
					+ " version of Cairn?): " + ex.getOriginalMessage(), ex);
		}
	}

	/** One exchange with the node; a node that does not answer is {@link EngineException.Unreachable}. */
	private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
		try {
			return http.send(request, body);
		}
		catch (IOException ex) {
			throw new EngineException.Unreachable(node, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EngineException.Unreachable(node, ex);
		}
	}

	private EngineException refusal(int status, String body) {
		String detail = detail(body, status);
		return switch (status) {
			case 404 -> new EngineException.NotFound(detail);
			case 409 -> new EngineException.Busy(detail);
			case 400 -> new EngineException(detail);
			default -> new EngineException("node " + node + " answered " + status + ": " + detail);
		};
	}

	private String detail(String body, int status) {
		try {
			JsonNode problem = json.readTree(body);
			if (problem.hasNonNull("detail")) {
				return problem.get("detail").asString();
			}
		}
		catch (JacksonException ex) {
			// not problem+json: a proxy's page, say
		}
		return "HTTP " + status;
	}
}
