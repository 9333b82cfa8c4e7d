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
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.system.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * Builds and rebuilds the node's templates in the background, one build per template at a time, keeping the
 * last build's log (its last lines) for the admin's page. The log lives as long as the panel runs.
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

	TemplateBuilds(@Lazy VeEngine engine, ApplicationEventPublisher events, TemplateSettingRepository settings) {
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
		List<TemplateView> views = new ArrayList<>();
		for (String name : names) {
			Template template = built.get(name);
			Build build = builds.get(name);
			views.add(new TemplateView(name, template != null, template == null ? null : template.description(),
					build == null ? null : build.view(), buildable.contains(name),
					template == null ? null : template.initSystem().label(), hidden.contains(name)));
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

	/** Starts a build of the template; refused while one runs. */
	public synchronized TemplateBuild start(String name, String who) {
		known(name);
		Build current = builds.get(name);
		if (current != null && current.view().running()) {
			throw new TemplateException("template", "a build of " + name + " is under way");
		}
		Build build = new Build(name, who);
		builds.put(name, build);
		events.publishEvent(AuditedAction.success("TEMPLATE_BUILD", "template:" + name));
		runner.submit(() -> {
			try {
				Template template = engine.buildTemplate(name, build::line);
				build.line("built: " + template.description());
				build.end(null);
			}
			catch (RuntimeException ex) {
				log.warn("Building the template {} failed: {}", name, ex.getMessage());
				build.end(ex.getMessage() == null ? ex.toString() : ex.getMessage());
			}
		});
		return build.view();
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
