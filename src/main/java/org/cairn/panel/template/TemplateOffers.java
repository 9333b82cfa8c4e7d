// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.cairn.engine.VeEngine;
import org.cairn.engine.template.Template;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.plan.Plan;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which templates customers may choose: the built ones the admin did not hide, and of those, the ones a plan
 * lists (a plan that lists none offers them all). VEs made from a template keep it when it is hidden.
 */
@Service
public class TemplateOffers {

	private final VeEngine engine;

	private final TemplateSettingRepository settings;

	private final ApplicationEventPublisher events;

	TemplateOffers(@Lazy VeEngine engine, TemplateSettingRepository settings, ApplicationEventPublisher events) {
		this.engine = engine;
		this.settings = settings;
		this.events = events;
	}

	public Set<String> hidden() {
		return settings.findByHiddenTrue().stream().map(TemplateSetting::getTemplate).collect(Collectors.toSet());
	}

	/** The templates customers holding these plans may choose, in the engine's order. */
	public List<Template> offeredBy(Collection<Plan> plans) {
		Set<String> hidden = hidden();
		return engine.templates().stream()
			.filter(t -> !hidden.contains(t.name()) && plans.stream().anyMatch(p -> p.offers(t.name())))
			.toList();
	}

	/** Why a customer of {@code plan} may not choose {@code template}; null when they may. */
	public String refusal(Plan plan, String template) {
		if (engine.templates().stream().noneMatch(t -> t.name().equals(template)) || hidden().contains(template)) {
			return "choose one of the templates offered";
		}
		if (!plan.offers(template)) {
			return "the plan " + plan.getName() + " offers " + String.join(", ", plan.getTemplates());
		}
		return null;
	}

	@Transactional
	public void setHidden(String template, boolean hidden, String who) {
		if (engine.templates().stream().noneMatch(t -> t.name().equals(template))) {
			throw new TemplateBuilds.TemplateNotFoundException("No template named '" + template + "'");
		}
		TemplateSetting setting = settings.findById(template).orElseGet(() -> new TemplateSetting(template, false));
		setting.setHidden(hidden);
		settings.save(setting);
		events.publishEvent(AuditedAction.success(hidden ? "TEMPLATE_HIDE" : "TEMPLATE_SHOW", "template:" + template)
			.withActor(who));
	}
}
