// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.util.List;

import org.cairn.panel.audit.AuditedAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The plans a host sells. A plan that a customer holds (or, later, a VE runs on) cannot be deleted, only
 * retired: it takes no new VEs and stays for the ones on it. Every change is audited.
 */
@Service
public class PlanCatalog {

	private final PlanRepository plans;

	private final ApplicationEventPublisher events;

	PlanCatalog(PlanRepository plans, ApplicationEventPublisher events) {
		this.plans = plans;
		this.events = events;
	}

	@Transactional(readOnly = true)
	public List<Plan> all() {
		return plans.findAllByOrderByRetiredAscNameAsc();
	}

	@Transactional(readOnly = true)
	public Plan get(long id) {
		return plans.findById(id).orElseThrow(() -> new PlanNotFoundException(id));
	}

	/** The plan as pages and the API show it, with its holders counted. */
	@Transactional(readOnly = true)
	public PlanView view(Plan plan) {
		return PlanView.of(plan, plans.holders(plan.getId()));
	}

	/** How many customers hold the plan. */
	@Transactional(readOnly = true)
	public long holders(long id) {
		return plans.holders(id);
	}

	@Transactional
	public Plan create(PlanForm form) {
		PlanDefinition definition = form.definition();
		if (plans.existsByNameIgnoreCase(definition.name())) {
			throw new PlanException("name", "is already the name of a plan");
		}
		Plan plan = save(new Plan(definition));
		events.publishEvent(AuditedAction.success("PLAN_CREATE", "plan:" + plan.getName()));
		return plan;
	}

	@Transactional
	public Plan update(long id, PlanForm form) {
		Plan plan = get(id);
		PlanDefinition definition = form.definition();
		if (plans.existsByNameIgnoreCaseAndIdNot(definition.name(), id)) {
			throw new PlanException("name", "is already the name of a plan");
		}
		boolean nestingChanged = plan.isNesting() != definition.nesting();
		plan.apply(definition);
		save(plan);
		events.publishEvent(AuditedAction.success("PLAN_UPDATE", "plan:" + plan.getName()));
		if (nestingChanged) {
			events.publishEvent(new PlanNestingChanged(id, plan.getName(), plan.isNesting(), currentActor()));
		}
		return plan;
	}

	@Transactional
	public Plan retire(long id, boolean retired) {
		Plan plan = get(id);
		plan.setRetired(retired);
		events.publishEvent(AuditedAction.success(retired ? "PLAN_RETIRE" : "PLAN_UNRETIRE", "plan:" + plan.getName()));
		return plan;
	}

	@Transactional
	public void delete(long id) {
		Plan plan = get(id);
		long holders = plans.holders(id);
		if (plans.ves(id) > 0) {
			events.publishEvent(AuditedAction.failure("PLAN_DELETE", "plan:" + plan.getName(), "VEs run on it"));
			throw new PlanInUseException(plan.getName() + " has VEs and", holders);
		}
		if (holders > 0) {
			events.publishEvent(AuditedAction.failure("PLAN_DELETE", "plan:" + plan.getName(), "in use"));
			throw new PlanInUseException(plan.getName(), holders);
		}
		plans.delete(plan);
		events.publishEvent(AuditedAction.success("PLAN_DELETE", "plan:" + plan.getName()));
	}

	/** Two admins saving the same new name at once: the database's unique index decides, and says which field. */
	private Plan save(Plan plan) {
		try {
			return plans.saveAndFlush(plan);
		}
		catch (DataIntegrityViolationException ex) {
			throw new PlanException("name", "is already the name of a plan");
		}
	}

	private static String currentActor() {
		var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext()
			.getAuthentication();
		return authentication == null ? "system" : authentication.getName();
	}
}
