// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cairn.engine.EngineException;
import org.cairn.engine.firewall.FirewallRule.Action;

/**
 * A VE's inbound firewall: its rules in order (the first that matches decides), then the default policy.
 * Replies to what the VE itself opened (established traffic) and ICMP pass first unless the customer says
 * otherwise. {@link #OPEN}, every VE's until its owner sets one, lets everything in.
 * <p>
 * Stored and shown as lines: {@code policy drop}, {@code icmp allow}, {@code established allow}, then one
 * rule per line.
 */
public record Firewall(Action policy, boolean icmp, boolean established, List<FirewallRule> rules) {

	/** The most rules any VE may have (a plan may allow fewer): the ruleset stays small and quick to load. */
	public static final int MAX_RULES = 200;

	public static final Firewall OPEN = new Firewall(Action.ALLOW, true, true, List.of());

	public Firewall {
		if (policy == null) {
			throw new EngineException("firewall: give a policy (allow or drop)");
		}
		rules = List.copyOf(rules);
		if (rules.size() > MAX_RULES) {
			throw new EngineException("firewall: at most " + MAX_RULES + " rules");
		}
	}

	public Firewall withRules(List<FirewallRule> changed) {
		return new Firewall(policy, icmp, established, changed);
	}

	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		lines.add("policy " + policy.word());
		lines.add("icmp " + (icmp ? "allow" : "drop"));
		lines.add("established " + (established ? "allow" : "drop"));
		rules.forEach(rule -> lines.add(rule.toString()));
		return lines;
	}

	public static Firewall parse(List<String> lines) {
		Action policy = Action.ALLOW;
		boolean icmp = true;
		boolean established = true;
		List<FirewallRule> rules = new ArrayList<>();
		for (String raw : lines) {
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			String[] words = line.split("\\s+");
			switch (words[0].toLowerCase(Locale.ROOT)) {
				case "policy" -> policy = setting(words, "policy") ? Action.ALLOW : Action.DROP;
				case "icmp" -> icmp = setting(words, "icmp");
				case "established" -> established = setting(words, "established");
				default -> rules.add(FirewallRule.parse(line));
			}
		}
		return new Firewall(policy, icmp, established, rules);
	}

	private static boolean setting(String[] words, String what) {
		if (words.length == 2 && words[1].equalsIgnoreCase("allow")) {
			return true;
		}
		if (words.length == 2 && words[1].equalsIgnoreCase("drop")) {
			return false;
		}
		throw new EngineException("firewall: " + what + " is allow or drop");
	}
}
