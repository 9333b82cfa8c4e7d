// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.cairn.engine.EngineException;
import org.cairn.engine.ResourceLimits;
import org.cairn.engine.VeBackups;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The engine's facade as the node agent serves it, one path per operation, the engine's own records as JSON. What
 * the engine refuses comes back as problem+json: 404 for what does not exist, 409 for a VE another operation holds,
 * 400 for the rest, with the engine's message ({@link RemoteVeEngine} turns them back into the same exceptions).
 */
@RestController
class NodeAgentApi {

	private final VeEngine engine;

	private final NodeIdentity identity;

	private final org.cairn.engine.EngineSettings settings;

	NodeAgentApi(VeEngine engine, NodeIdentity identity, org.cairn.engine.EngineSettings settings) {
		this.engine = engine;
		this.identity = identity;
		this.settings = settings;
	}

	/** A certificate rotation's first half: a request for a new key (see {@link NodeIdentity}). */
	@PostMapping("/v1/identity/request")
	AgentBodies.Pem certificateRequest() {
		return new AgentBodies.Pem(identity.request());
	}

	/** Its second half: the signed certificate, put in place with the new key; the agent reloads them. */
	@PutMapping("/v1/identity/certificate")
	ResponseEntity<Void> installCertificate(@RequestBody AgentBodies.Pem certificate) {
		identity.install(certificate.pem());
		return ResponseEntity.noContent().build();
	}

	/** What the panel shows of a node and places by. */
	@GetMapping("/v1/node")
	NodeFacts node() {
		return NodeFacts.of(engine);
	}

	@GetMapping("/v1/ves")
	List<VeStatus> list() {
		return engine.list();
	}

	/** Makes the VE; with {@code start}, also starts it (and turns nesting on first when asked): one round trip. */
	@PostMapping("/v1/ves")
	VeStatus create(@RequestBody VeSpec spec, @RequestParam(defaultValue = "false") boolean start,
			@RequestParam(defaultValue = "false") boolean nesting) {
		return start ? engine.createAndStart(spec, nesting) : engine.create(spec);
	}

	/** Every running VE's state and usage, read here: the panel's sampler asks each node once a round. */
	@GetMapping("/v1/readings")
	List<VeReading> readings() {
		return engine.readings();
	}

	@GetMapping("/v1/ves/{name}")
	VeStatus status(@PathVariable String name) {
		return engine.status(name);
	}

	@DeleteMapping("/v1/ves/{name}")
	ResponseEntity<Void> destroy(@PathVariable String name) {
		engine.destroy(name);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/ves/{name}/start")
	VeStatus start(@PathVariable String name) {
		return engine.start(name);
	}

	@PostMapping("/v1/ves/{name}/stop")
	VeStatus stop(@PathVariable String name, @RequestParam(defaultValue = "30") int timeout) {
		return engine.stop(name, Duration.ofSeconds(timeout));
	}

	@PostMapping("/v1/ves/{name}/restart")
	VeStatus restart(@PathVariable String name, @RequestParam(defaultValue = "30") int timeout) {
		return engine.restart(name, Duration.ofSeconds(timeout));
	}

	@PostMapping("/v1/ves/{name}/suspend")
	VeStatus suspend(@PathVariable String name) {
		return engine.suspend(name);
	}

	@PostMapping("/v1/ves/{name}/resume")
	VeStatus resume(@PathVariable String name) {
		return engine.resume(name);
	}

	@PostMapping("/v1/ves/{name}/reinstall")
	VeStatus reinstall(@PathVariable String name, @RequestBody AgentBodies.Reinstall request) {
		return engine.reinstall(name, request.template(), request.rootPassword(), request.sshKey(),
				Duration.ofSeconds(request.timeoutSeconds()));
	}

	@PutMapping("/v1/ves/{name}/root-access")
	ResponseEntity<Void> setRootAccess(@PathVariable String name, @RequestBody AgentBodies.RootAccess request) {
		engine.setRootAccess(name, request.rootPassword(), request.sshKey());
		return ResponseEntity.noContent().build();
	}

	@PutMapping("/v1/ves/{name}/hostname")
	VeStatus setHostname(@PathVariable String name, @RequestBody AgentBodies.Hostname request) {
		return engine.setHostname(name, request.hostname());
	}

	@GetMapping("/v1/ves/{name}/limits")
	ResourceLimits limits(@PathVariable String name) {
		return engine.limits(name);
	}

	@PutMapping("/v1/ves/{name}/limits")
	VeStatus setLimits(@PathVariable String name, @RequestBody ResourceLimits limits) {
		return engine.set(name, limits);
	}

	@GetMapping("/v1/ves/{name}/network")
	VeNetwork network(@PathVariable String name) {
		return engine.network(name);
	}

	@PutMapping("/v1/ves/{name}/network")
	VeStatus setNetwork(@PathVariable String name, @RequestBody VeNetwork network) {
		return engine.setNetwork(name, network);
	}

	@GetMapping("/v1/ves/{name}/firewall")
	Firewall firewall(@PathVariable String name) {
		return engine.firewall(name);
	}

	@PutMapping("/v1/ves/{name}/firewall")
	VeStatus setFirewall(@PathVariable String name, @RequestBody Firewall firewall) {
		return engine.setFirewall(name, firewall);
	}

	@GetMapping("/v1/ves/{name}/node-rules-exempt")
	AgentBodies.Flag nodeRulesExempt(@PathVariable String name) {
		return new AgentBodies.Flag(engine.nodeRulesExempt(name));
	}

	@PutMapping("/v1/ves/{name}/node-rules-exempt")
	ResponseEntity<Void> setNodeRulesExempt(@PathVariable String name, @RequestBody AgentBodies.Flag flag) {
		engine.setNodeRulesExempt(name, flag.on());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/ves/{name}/nesting")
	AgentBodies.Flag nesting(@PathVariable String name) {
		return new AgentBodies.Flag(engine.nesting(name));
	}

	@PutMapping("/v1/ves/{name}/nesting")
	ResponseEntity<Void> setNesting(@PathVariable String name, @RequestBody AgentBodies.Flag flag) {
		engine.setNesting(name, flag.on());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/ves/{name}/usage")
	VeUsage usage(@PathVariable String name) {
		return engine.usage(name);
	}

	@GetMapping("/v1/ves/{name}/console-log")
	String consoleLog(@PathVariable String name, @RequestParam(defaultValue = "65536") int maxBytes) {
		return engine.consoleLog(name, maxBytes);
	}

	@GetMapping("/v1/ves/{name}/snapshots")
	List<VeSnapshots.Snapshot> snapshots(@PathVariable String name) {
		return engine.snapshots().list(name);
	}

	@PostMapping("/v1/ves/{name}/snapshots/{snapshot}")
	VeSnapshots.Snapshot snapshot(@PathVariable String name, @PathVariable String snapshot) {
		return engine.snapshots().create(name, snapshot);
	}

	@PostMapping("/v1/ves/{name}/snapshots/{snapshot}/rollback")
	ResponseEntity<Void> rollback(@PathVariable String name, @PathVariable String snapshot) {
		engine.snapshots().rollback(name, snapshot);
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/v1/ves/{name}/snapshots/{snapshot}")
	ResponseEntity<Void> deleteSnapshot(@PathVariable String name, @PathVariable String snapshot) {
		engine.snapshots().delete(name, snapshot);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/ves/{name}/checkpoint")
	VeStatus checkpoint(@PathVariable String name) {
		return engine.checkpoints().checkpoint(name);
	}

	@GetMapping("/v1/ves/{name}/checkpoint")
	AgentBodies.SavedCheckpoint savedCheckpoint(@PathVariable String name) {
		return new AgentBodies.SavedCheckpoint(engine.checkpoints().saved(name).orElse(null));
	}

	@DeleteMapping("/v1/ves/{name}/checkpoint")
	ResponseEntity<Void> discardCheckpoint(@PathVariable String name) {
		engine.checkpoints().discard(name);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/ves/{name}/checkpoint/restore")
	VeStatus restoreCheckpoint(@PathVariable String name) {
		return engine.checkpoints().restore(name);
	}

	@GetMapping("/v1/node/checkpoints")
	AgentBodies.Why checkpointsUnavailable() {
		return new AgentBodies.Why(engine.checkpoints().unavailable().orElse(null));
	}

	@GetMapping("/v1/ves/{name}/backups")
	List<Snapshot> backups(@PathVariable String name) {
		return engine.backups().list(name);
	}

	@PostMapping("/v1/ves/{name}/backups")
	Snapshot backUp(@PathVariable String name, @RequestBody AgentBodies.Tag tag) {
		return engine.backups().create(name, tag.tag());
	}

	@PostMapping("/v1/ves/{name}/backups/consistent")
	VeBackups.ConsistentBackup backUpConsistently(@PathVariable String name, @RequestBody AgentBodies.Tag tag) {
		return engine.backups().createConsistent(name, tag.tag());
	}

	@GetMapping("/v1/ves/{name}/backups/{snapshot}/files")
	List<SnapshotEntry> backupFiles(@PathVariable String name, @PathVariable String snapshot,
			@RequestParam(defaultValue = "/") String path) {
		return engine.backups().files(name, snapshot, path);
	}

	@PostMapping("/v1/ves/{name}/backups/{snapshot}/restore")
	AgentBodies.Restored restore(@PathVariable String name, @PathVariable String snapshot,
			@RequestBody AgentBodies.Restore restore) {
		return new AgentBodies.Restored(engine.backups().restore(name, snapshot, restore.path(), restore.to()));
	}

	@PostMapping("/v1/ves/{name}/backups/{snapshot}/restore-whole")
	ResponseEntity<Void> restoreWhole(@PathVariable String name, @PathVariable String snapshot) {
		engine.backups().restoreWhole(name, snapshot);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/ves/{name}/backups/forget")
	List<Snapshot> forget(@PathVariable String name, @RequestBody RetentionPolicy policy) {
		return engine.backups().forget(name, policy);
	}

	@PutMapping("/v1/ves/{name}/backup-schedule")
	ResponseEntity<Void> schedule(@PathVariable String name, @RequestBody AgentBodies.Schedule schedule) {
		engine.backups().schedule(name, schedule.time());
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/ves/{name}/backups/scheduled")
	VeBackups.ScheduledBackup runScheduled(@PathVariable String name) {
		return engine.backups().runScheduled(name);
	}

	@GetMapping("/v1/backups/schedules")
	Map<String, LocalTime> schedules() {
		return engine.backups().schedules();
	}

	@PostMapping("/v1/backups/due")
	List<String> takeDue(@RequestBody AgentBodies.Now now) {
		return engine.backups().takeDue(now.now());
	}

	@GetMapping("/v1/backups/repository")
	AgentBodies.Repository repository() {
		return new AgentBodies.Repository(engine.backups().repository(), engine.backups().storedBytes());
	}

	@PostMapping("/v1/backups/check")
	AgentBodies.Restored check(@RequestParam(defaultValue = "false") boolean readData) {
		return new AgentBodies.Restored(engine.backups().check(readData));
	}

	/** Builds a template here; its log streams as {@link #logged} says. */
	@PostMapping("/v1/templates/{name}/build")
	ResponseEntity<StreamingResponseBody> buildTemplate(@PathVariable String name) {
		return logged(line -> engine.buildTemplate(name, line));
	}

	/**
	 * Imports the archive in the body (a template copied from another node, as {@link VeEngine#exportTemplate}
	 * writes it), kept in {@code ROOT/uploads} until it is imported; the log as a build's.
	 */
	@PutMapping(path = "/v1/templates/{name}", consumes = "application/octet-stream")
	ResponseEntity<StreamingResponseBody> importTemplate(@PathVariable String name, @RequestParam long maxBytes,
			@RequestParam String from, java.io.InputStream body) throws java.io.IOException {
		org.cairn.engine.template.TemplateImport.checkName(name);
		java.nio.file.Path folder = java.nio.file.Files.createDirectories(settings.root().resolve("uploads"));
		java.nio.file.Path archive = java.nio.file.Files.createTempFile(folder, name + "-", ".upload",
				java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
						java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
		try {
			// read while the request lasts; the import runs as the answer streams
			java.nio.file.Files.copy(body, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (java.io.IOException | RuntimeException ex) {
			java.nio.file.Files.deleteIfExists(archive);
			throw ex;
		}
		return logged(line -> {
			try {
				return engine.importTemplate(name, archive, maxBytes, from, line);
			}
			finally {
				try {
					java.nio.file.Files.deleteIfExists(archive);
				}
				catch (java.io.IOException ex) {
					line.accept("the archive " + archive + " could not be removed: " + ex.getMessage());
				}
			}
		});
	}

	/**
	 * Work on a template that logs as it goes: its lines as they come, then "built: DESCRIPTION" or "failed: WHY"
	 * (the answer's status is sent before the work ends).
	 */
	private static ResponseEntity<StreamingResponseBody> logged(
			java.util.function.Function<java.util.function.Consumer<String>, Template> work) {
		StreamingResponseBody log = out -> {
			java.io.Writer writer = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8);
			java.util.function.Consumer<String> line = text -> {
				try {
					writer.write(text.replace('\n', ' ') + "\n");
					writer.flush();
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			};
			try {
				line.accept("built: " + work.apply(line).description());
			}
			catch (RuntimeException ex) {
				line.accept("failed: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
			}
		};
		return ResponseEntity.ok().contentType(org.springframework.http.MediaType.TEXT_PLAIN).body(log);
	}

	// ---- moving a VE: this node as the source ----

	@GetMapping("/v1/ves/{name}/departure")
	org.cairn.engine.VeMigrations.Departure departure(@PathVariable String name) {
		return engine.migrations().depart(name);
	}

	/** The VE's files that changed since pass {@code since}, as a stream (refused before it begins). */
	@PostMapping("/v1/ves/{name}/departure/files")
	ResponseEntity<StreamingResponseBody> sendFiles(@PathVariable String name, @RequestParam int since,
			@RequestParam boolean last) {
		return streamed(engine.migrations().sendFiles(name, since, last));
	}

	/** The chunks of its disk image that differ from those the target has (the body). */
	@PostMapping("/v1/ves/{name}/departure/image")
	ResponseEntity<StreamingResponseBody> sendImage(@PathVariable String name, @RequestParam boolean last,
			@RequestBody org.cairn.engine.migration.ImageChunks have) {
		return streamed(engine.migrations().sendImage(name, have, last));
	}

	@DeleteMapping("/v1/ves/{name}/departure")
	ResponseEntity<Void> stay(@PathVariable String name) {
		engine.migrations().stay(name);
		return ResponseEntity.noContent().build();
	}

	private static ResponseEntity<StreamingResponseBody> streamed(java.io.InputStream stream) {
		StreamingResponseBody body = out -> {
			try (stream) {
				stream.transferTo(out);
			}
		};
		return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_OCTET_STREAM).body(body);
	}

	// ---- moving a VE: this node as the target ----

	@PostMapping("/v1/arrivals")
	org.cairn.engine.VeMigrations.Arrival receive(@RequestBody org.cairn.engine.VeMigrations.Departure departure) {
		return engine.migrations().receive(departure);
	}

	@PutMapping(path = "/v1/arrivals/{name}/files", consumes = "application/octet-stream")
	ResponseEntity<Void> applyFiles(@PathVariable String name, @RequestParam int pass, java.io.InputStream body) {
		engine.migrations().applyFiles(name, pass, body);
		return ResponseEntity.noContent().build();
	}

	@PutMapping(path = "/v1/arrivals/{name}/image", consumes = "application/octet-stream")
	ResponseEntity<Void> applyImage(@PathVariable String name, java.io.InputStream body) {
		engine.migrations().applyImage(name, body);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/arrivals/{name}")
	VeStatus arrive(@PathVariable String name, @RequestParam(defaultValue = "false") boolean start) {
		return engine.migrations().arrive(name, start);
	}

	@DeleteMapping("/v1/arrivals/{name}")
	ResponseEntity<Void> abandon(@PathVariable String name) {
		engine.migrations().abandon(name);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/templates/builders")
	List<String> templateBuilders() {
		return engine.templateBuilders();
	}

	@DeleteMapping("/v1/templates/{name}")
	ResponseEntity<Void> deleteTemplate(@PathVariable String name) {
		engine.deleteTemplate(name);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/node/firewall")
	AgentBodies.NodeRules nodeFirewall() {
		return new AgentBodies.NodeRules(engine.nodeFirewall().stream().map(NodeRule::toString).toList());
	}

	@PutMapping("/v1/node/firewall")
	ResponseEntity<Void> setNodeFirewall(@RequestBody AgentBodies.NodeRules rules) {
		engine.setNodeFirewall(rules.rules().stream().map(NodeRule::parse).toList());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/node/nat")
	AgentBodies.Nat outboundNat() {
		return new AgentBodies.Nat(engine.outboundNat().orElse(null));
	}

	@PutMapping("/v1/node/nat")
	ResponseEntity<Void> setOutboundNat(@RequestBody AgentBodies.Nat nat) {
		engine.setOutboundNat(java.util.Optional.ofNullable(nat.device()));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/v1/templates")
	List<Template> templates() {
		return engine.templates();
	}

	@ExceptionHandler(EngineException.class)
	ResponseEntity<ProblemDetail> refused(EngineException ex) {
		HttpStatus status = ex instanceof EngineException.NotFound ? HttpStatus.NOT_FOUND
				: ex instanceof EngineException.Busy ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, ex.getMessage()));
	}

	/** A request body the engine's records refuse while they are read (a bad address, say): the same 400. */
	@ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(org.springframework.http.converter.HttpMessageNotReadableException ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && !(cause instanceof EngineException)) {
			cause = cause.getCause();
		}
		String detail = cause instanceof EngineException ? cause.getMessage() : "the request's body could not be read";
		return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
	}
}
