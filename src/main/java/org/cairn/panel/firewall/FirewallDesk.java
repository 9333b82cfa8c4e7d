// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRule;
import org.cairn.engine.firewall.NodeRule;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.plan.PlanCatalog;
import org.cairn.panel.ve.Ve;
import org.cairn.panel.ve.VeManagement;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * A VE's inbound firewall for its owner, and the node-wide rules for admins (the same on every node of the fleet). A change is whole and immediate
 * (one nftables transaction on the node), at most as many rules as the VE's plan allows, audited as
 * {@code FIREWALL_CHANGE} or {@code NODE_FIREWALL_CHANGE} with the rules it leaves in place.
 */
@Service
public class FirewallDesk {

	private final VeEngine engine;

	private final VeManagement ves;

	private final PlanCatalog plans;

	private final ApplicationEventPublisher events;

	private final FleetFirewall fleet;

	FirewallDesk(@Lazy VeEngine engine, VeManagement ves, PlanCatalog plans, ApplicationEventPublisher events,
			FleetFirewall fleet) {
		this.fleet = fleet;
		this.engine = engine;
		this.ves = ves;
		this.plans = plans;
		this.events = events;
	}

	public FirewallView view(Ve ve) {
		return FirewallView.of(engine.firewall(ve.getEngineName()), allowed(ve));
	}

	private int allowed(Ve ve) {
		return plans.get(ve.getPlanId()).getFirewallRules();
	}

	/** Replaces the firewall with the form's: what it leaves out stays as it is. */
	public FirewallView replace(Ve ve, FirewallForm form) {
		Firewall current = engine.firewall(ve.getEngineName());
		List<FirewallRule> rules = current.rules();
		if (form.rules() != null) {
			rules = new ArrayList<>();
			for (int i = 0; i < form.rules().size(); i++) {
				rules.add(parse("rules[" + i + "]", form.rules().get(i)));
			}
		}
		FirewallRule.Action policy = form.policy() == null ? current.policy() : policy(form.policy());
		return apply(ve, new Firewall(policy, form.icmp() == null ? current.icmp() : form.icmp(),
				form.established() == null ? current.established() : form.established(), rules));
	}

	public FirewallView addRule(Ve ve, RuleForm form) {
		List<FirewallRule> rules = new ArrayList<>(engine.firewall(ve.getEngineName()).rules());
		FirewallRule rule = parse(fieldOf(form), form.text());
		if (rules.contains(rule)) {
			throw new FirewallException("ports", "the firewall has this rule already: " + rule);
		}
		rules.add(rule);
		return apply(ve, engine.firewall(ve.getEngineName()).withRules(rules));
	}

	/** Removes rule {@code number} (1 is the first), as the page lists them. */
	public FirewallView deleteRule(Ve ve, int number) {
		List<FirewallRule> rules = new ArrayList<>(engine.firewall(ve.getEngineName()).rules());
		if (number < 1 || number > rules.size()) {
			throw new FirewallException("rule", "there is no rule number " + number);
		}
		rules.remove(number - 1);
		return apply(ve, engine.firewall(ve.getEngineName()).withRules(rules));
	}

	private FirewallView apply(Ve ve, Firewall firewall) {
		ves.ready(ve);
		int allowed = allowed(ve);
		if (firewall.rules().size() > allowed) {
			throw new FirewallException("rules", "the plan of " + ve.getHostname() + " allows " + allowed + " rule"
					+ (allowed == 1 ? "" : "s") + " per VE");
		}
		String target = "ve:" + ve.getHostname();
		try {
			engine.setFirewall(ve.getEngineName(), firewall);
		}
		catch (EngineException ex) {
			events.publishEvent(AuditedAction.failure("FIREWALL_CHANGE", target, ex.getMessage()));
			throw ex;
		}
		events.publishEvent(new AuditedAction(null, "FIREWALL_CHANGE", target, org.cairn.panel.audit.Outcome.SUCCESS,
				String.join("; ", firewall.lines())));
		return FirewallView.of(firewall, allowed);
	}

	/** Whether the node-wide rules pass over a VE (admins: a customer trusted to send mail, say). */
	public boolean exempt(Ve ve) {
		return engine.nodeRulesExempt(ve.getEngineName());
	}

	public void setExempt(Ve ve, boolean exempt) {
		engine.setNodeRulesExempt(ve.getEngineName(), exempt);
		events.publishEvent(new AuditedAction(null, "NODE_FIREWALL_EXEMPT", "ve:" + ve.getHostname(),
				org.cairn.panel.audit.Outcome.SUCCESS, exempt ? "the node-wide rules pass over it" : "the node-wide rules apply"));
	}

	/** The fleet's node-wide rules (see {@link FleetFirewall}). */
	public List<String> nodeRules() {
		return fleet.rules().stream().map(NodeRule::toString).toList();
	}

	/** Replaces the node-wide rules on every node (admins); a node that does not answer gets them when it does. */
	public List<String> replaceNodeRules(List<String> texts) {
		List<NodeRule> rules = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			try {
				rules.add(NodeRule.parse(texts.get(i)));
			}
			catch (EngineException ex) {
				throw new FirewallException("rules[" + i + "]", withoutPrefix(ex));
			}
		}
		List<String> later = fleet.replace(rules);
		List<String> now = nodeRules();
		events.publishEvent(new AuditedAction(null, "NODE_FIREWALL_CHANGE", "node", org.cairn.panel.audit.Outcome.SUCCESS,
				(now.isEmpty() ? "no rules" : String.join("; ", now))
						+ (later.isEmpty() ? "" : " (when they answer: " + String.join(", ", later) + ")")));
		return now;
	}

	private static FirewallRule.Action policy(String text) {
		return switch (text.strip().toLowerCase(Locale.ROOT)) {
			case "allow" -> FirewallRule.Action.ALLOW;
			case "drop" -> FirewallRule.Action.DROP;
			default -> throw new FirewallException("policy", "allow or drop");
		};
	}

	private static FirewallRule parse(String field, String text) {
		try {
			return FirewallRule.parse(text);
		}
		catch (EngineException ex) {
			throw new FirewallException(field, withoutPrefix(ex));
		}
	}

	/** The page's field a rule's error is about: a bad port or source, or else the rule as a whole. */
	private static String fieldOf(RuleForm form) {
		try {
			FirewallRule.parse(form.text());
			return "ports";
		}
		catch (EngineException ex) {
			String message = ex.getMessage();
			return message.contains("prefix") || message.contains("address") ? "source"
					: message.contains("port") ? "ports" : message.contains("protocol") ? "protocol" : "action";
		}
	}

	private static String withoutPrefix(EngineException ex) {
		return ex.getMessage().replaceFirst("^firewall: ", "");
	}
}
