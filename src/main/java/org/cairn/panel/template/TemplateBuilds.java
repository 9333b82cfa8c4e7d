// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.template.Template;
import org.cairn.node.RemoteVeEngine;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.fleet.FleetEngines;
import org.cairn.panel.fleet.FleetNode;
import org.cairn.panel.fleet.FleetNodes;
import org.cairn.panel.fleet.NodeHealth;
import org.cairn.panel.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * Builds and rebuilds templates in the background, on the panel's own machine or on a node of the fleet, one build
 * per template and node at a time, keeping the last build's log (its last lines) for the admin's page. The log
 * lives as long as the panel runs.
 */
@Service
public class TemplateBuilds {

	private static final Logger log = LoggerFactory.getLogger(TemplateBuilds.class);

	private static final int LOG_LINES = 400;

	private final VeEngine engine;

	private final ApplicationEventPublisher events;

	private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

	private final Map<String, Build> builds = new ConcurrentHashMap<>();

	private final TemplateSettingRepository settings;

	private final FleetNodes nodes;

	private final FleetEngines engines;

	private final NodeHealth health;

	/** Where a template copied to a node is packed meanwhile. */
	private final java.nio.file.Path uploads;

	private final long maxBytes;

	TemplateBuilds(@Lazy VeEngine engine, ApplicationEventPublisher events, TemplateSettingRepository settings,
			FleetNodes nodes, FleetEngines engines, NodeHealth health,
			@org.springframework.beans.factory.annotation.Value("${cairn.data-dir:/var/lib/cairn}") java.nio.file.Path dataDir,
			@org.springframework.beans.factory.annotation.Value("${cairn.templates.max-size:8GB}")
			org.springframework.util.unit.DataSize maxSize) {
		this.uploads = dataDir.resolve("uploads");
		this.maxBytes = maxSize.toBytes();
		this.nodes = nodes;
		this.engines = engines;
		this.health = health;
		this.engine = engine;
		this.events = events;
		this.settings = settings;
	}

	/** The templates Cairn builds, built or not, then the admins' imported ones. */
	public List<TemplateView> all() {
		Map<String, Template> built = new java.util.LinkedHashMap<>();
		engine.templates().forEach(t -> built.put(t.name(), t));
		List<String> buildable = engine.templateBuilders();
		List<String> names = new ArrayList<>(buildable);
		built.keySet().stream().filter(name -> !buildable.contains(name)).forEach(names::add);
		java.util.Set<String> hidden = new java.util.HashSet<>();
		settings.findByHiddenTrue().forEach(setting -> hidden.add(setting.getTemplate()));
		List<FleetNode> fleet = nodes.all().stream().filter(FleetNode::joined).toList();
		List<TemplateView> views = new ArrayList<>();
		for (String name : names) {
			Template template = built.get(name);
			Build build = builds.get(name);
			List<String> on = new ArrayList<>();
			List<String> missing = new ArrayList<>();
			if (template != null) {
				on.add("local");
			}
			for (FleetNode node : fleet) {
				(node.health().templates().contains(name) ? on : missing).add(node.name());
			}
			views.add(new TemplateView(name, template != null, template == null ? null : template.description(),
					build == null ? null : build.view(), buildable.contains(name),
					template == null ? null : template.initSystem().label(), hidden.contains(name), on, missing));
		}
		return views;
	}

	/**
	 * Imports an uploaded archive (already on the node's disk, which this then owns and removes) in the
	 * background, with a log as a build has; audited with its outcome.
	 */
	public synchronized TemplateBuild startImport(String name, java.nio.file.Path archive, long maxBytes, String who) {
		Build current = builds.get(name);
		if (current != null && current.view().running()) {
			deleteQuietly(archive);
			throw new TemplateException("template", "an import or build of " + name + " is under way");
		}
		Build build = new Build(name, who);
		builds.put(name, build);
		runner.submit(() -> {
			try {
				Template template = engine.importTemplate(name, archive, maxBytes, name + " (uploaded by " + who + ")",
						build::line);
				build.line("imported: " + template.description());
				build.end(null);
				events.publishEvent(AuditedAction.success("TEMPLATE_IMPORT", "template:" + name).withActor(who));
			}
			catch (RuntimeException ex) {
				String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
				log.warn("Importing the template {} failed: {}", name, message);
				build.end(message);
				events.publishEvent(AuditedAction.failure("TEMPLATE_IMPORT", "template:" + name, message).withActor(who));
			}
			finally {
				deleteQuietly(archive);
			}
		});
		return build.view();
	}

	/** Deletes a template no VE uses; audited. */
	public void delete(String name, String who) {
		if (engine.templates().stream().noneMatch(t -> t.name().equals(name))) {
			throw new TemplateNotFoundException("No template named '" + name + "'");
		}
		try {
			engine.deleteTemplate(name);
		}
		catch (EngineException ex) {
			events.publishEvent(AuditedAction.failure("TEMPLATE_DELETE", "template:" + name, ex.getMessage()).withActor(who));
			throw new TemplateInUseException(ex.getMessage().replaceFirst("^template: ", ""));
		}
		builds.remove(name);
		events.publishEvent(AuditedAction.success("TEMPLATE_DELETE", "template:" + name).withActor(who));
	}

	private static void deleteQuietly(java.nio.file.Path file) {
		try {
			java.nio.file.Files.deleteIfExists(file);
		}
		catch (java.io.IOException ex) {
			log.warn("Cannot remove the upload {}: {}", file, ex.getMessage());
		}
	}

	public TemplateBuild build(String name) {
		Build build = builds.get(name);
		if (build == null) {
			throw new TemplateNotFoundException("No build of " + name + " since the panel started");
		}
		return build.view();
	}

	/** Starts a build of the template on the panel's own machine; refused while one runs. */
	public TemplateBuild start(String name, String who) {
		known(name);
		return start(name, name, who, "TEMPLATE_BUILD", line -> engine.buildTemplate(name, line), () -> {
		});
	}

	/**
	 * Starts a build of the template on the fleet's node {@code node} (empty or "local": the panel's own machine);
	 * its log is the node's, line by line, and the node's templates are read again once it is built. A template
	 * Cairn does not build (an admin's import) is copied there from the panel's machine instead.
	 */
	public TemplateBuild start(String name, @Nullable String node, String who) {
		if (node == null || node.isBlank() || node.equals("local")) {
			return start(name, who);
		}
		FleetNode target = nodes.all().stream().filter(n -> n.name().equals(node) && n.joined()).findFirst()
			.orElseThrow(() -> new TemplateException("node", "no joined node is named '" + node + "'"));
		RemoteVeEngine remote = engines.remote(target.id());
		List<String> builders;
		try {
			builders = remote.templateBuilders();
		}
		catch (EngineException ex) {
			throw new TemplateException("node", ex.getMessage());
		}
		if (builders.contains(name)) {
			return start(name + "@" + node, name, who, "TEMPLATE_BUILD", line -> remote.buildTemplate(name, line),
					() -> health.check(target));
		}
		Template here = engines.local().templates().stream().filter(t -> t.name().equals(name)).findFirst()
			.orElseThrow(() -> new TemplateNotFoundException("Node " + node + " builds no template named '" + name
					+ "', and the panel's machine has none to copy"));
		return start(name + "@" + node, name, who, "TEMPLATE_COPY", line -> copy(here, remote, line),
				() -> health.check(target));
	}

	/** Packs the template here and sends it to the node, which imports it: the same files, the same init. */
	private Template copy(Template template, RemoteVeEngine to, java.util.function.Consumer<String> line) {
		java.nio.file.Path archive;
		try {
			java.nio.file.Files.createDirectories(uploads);
			archive = java.nio.file.Files.createTempFile(uploads, template.name() + "-", ".tar.zst");
		}
		catch (java.io.IOException ex) {
			throw new EngineException("template: no room for the copy in " + uploads + ": " + ex.getMessage());
		}
		try {
			line.accept("packing " + template.name() + " on the panel's machine");
			engines.local().exportTemplate(template.name(), archive);
			line.accept("sending " + (size(archive) >> 20) + " MB to node " + to.node());
			return to.importTemplate(template.name(), archive, maxBytes, template.name() + " copied from the panel's machine",
					line);
		}
		finally {
			deleteQuietly(archive);
		}
	}

	private static long size(java.nio.file.Path file) {
		try {
			return java.nio.file.Files.size(file);
		}
		catch (java.io.IOException ex) {
			return 0;
		}
	}

	private synchronized TemplateBuild start(String key, String name, String who, String audited,
			java.util.function.Function<java.util.function.Consumer<String>, Template> work, Runnable after) {
		Build current = builds.get(key);
		if (current != null && current.view().running()) {
			throw new TemplateException("template", "a build of " + key + " is under way");
		}
		Build build = new Build(name, who);
		builds.put(key, build);
		events.publishEvent(AuditedAction.success(audited, "template:" + key));
		runner.submit(() -> {
			try {
				Template template = work.apply(build::line);
				build.line("built: " + template.description());
				// ended once the node's templates are read again: a page that sees it ended sees it there
				after.run();
				build.end(null);
			}
			catch (RuntimeException ex) {
				log.warn("Building the template {} failed: {}", key, ex.getMessage());
				build.end(ex.getMessage() == null ? ex.toString() : ex.getMessage());
			}
		});
		return build.view();
	}

	/** The last build of the template on {@code node} (null or "local": the panel's own machine). */
	public TemplateBuild build(String name, @Nullable String node) {
		return build(node == null || node.isBlank() || node.equals("local") ? name : name + "@" + node);
	}

	private String known(String name) {
		if (name == null || !engine.templateBuilders().contains(name)) {
			throw new TemplateNotFoundException("No template named '" + name + "' to build; the engine builds "
					+ String.join(", ", engine.templateBuilders()));
		}
		return name;
	}

	/** One build's course; its log lines come from the builder's thread. */
	private static final class Build {

		private final String template;

		private final String who;

		private final Instant started = Instant.now();

		private final java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>();

		private Instant finished;

		private String state = "running";

		private String error;

		Build(String template, String who) {
			this.template = template;
			this.who = who;
		}

		synchronized void line(String line) {
			lines.addLast(line);
			if (lines.size() > LOG_LINES) {
				lines.removeFirst();
			}
		}

		synchronized void end(String failure) {
			finished = Instant.now();
			state = failure == null ? "succeeded" : "failed";
			error = failure;
		}

		synchronized TemplateBuild view() {
			return new TemplateBuild(template, state, who, started, finished, List.copyOf(lines), error);
		}
	}

	/** No such template builder, or no build of it yet. */
	public static class TemplateNotFoundException extends NotFoundException {

		TemplateNotFoundException(String message) {
			super(message);
		}
	}
}
