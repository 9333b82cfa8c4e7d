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

	TemplateBuilds(@Lazy VeEngine engine, ApplicationEventPublisher events) {
		this.engine = engine;
		this.events = events;
	}

	public List<TemplateView> all() {
		Map<String, Template> built = new java.util.HashMap<>();
		engine.templates().forEach(t -> built.put(t.name(), t));
		List<TemplateView> views = new ArrayList<>();
		for (String name : engine.templateBuilders()) {
			Template template = built.get(name);
			Build build = builds.get(name);
			views.add(new TemplateView(name, template != null, template == null ? null : template.description(),
					build == null ? null : build.view()));
		}
		return views;
	}

	public TemplateBuild build(String name) {
		Build build = builds.get(known(name));
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
	static class TemplateNotFoundException extends NotFoundException {

		TemplateNotFoundException(String message) {
			super(message);
		}
	}
}
