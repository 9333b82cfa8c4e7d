// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cairn.engine.VeEngine;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.plan.PlanNestingChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A plan's nesting flag is what its VEs have: when an admin switches it, each VE of the plan gets it from its
 * next start (the filter of a running VE is the one it started with). In the background, since a VE busy with
 * a long backup holds its lock; each VE's change is audited as {@code VE_NESTING}.
 */
@Component
class NestingFollowsPlan {

	private static final Logger log = LoggerFactory.getLogger(NestingFollowsPlan.class);

	private final VeRepository ves;

	private final VeEngine engine;

	private final ApplicationEventPublisher events;

	private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

	NestingFollowsPlan(VeRepository ves, @Lazy VeEngine engine, ApplicationEventPublisher events) {
		this.ves = ves;
		this.engine = engine;
		this.events = events;
	}

	@TransactionalEventListener
	void planChanged(PlanNestingChanged change) {
		for (Ve ve : ves.findByPlanIdOrderById(change.planId())) {
			String target = "ve:" + ve.getHostname();
			String detail = (change.nesting() ? "on" : "off") + " (plan " + change.plan() + "), from its next start";
			runner.submit(() -> {
				try {
					engine.setNesting(ve.getEngineName(), change.nesting());
					events.publishEvent(new AuditedAction(change.actor(), "VE_NESTING", target,
							org.cairn.panel.audit.Outcome.SUCCESS, detail));
				}
				catch (RuntimeException ex) {
					log.warn("Nesting of {} did not follow its plan: {}", ve.getEngineName(), ex.getMessage());
					events.publishEvent(AuditedAction.failure("VE_NESTING", target, ex.getMessage()).withActor(change.actor()));
				}
			});
		}
	}
}
