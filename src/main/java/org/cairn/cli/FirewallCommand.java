// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRule;
import org.cairn.engine.firewall.FirewallRule.Action;
import org.cairn.engine.firewall.NodeRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn ve firewall NAME ...}: a VE's inbound firewall; {@code cairn node firewall ...}: the node-wide rules.
 * Without a change they print what is set; rules are written as the panel shows them.
 */
final class FirewallCommand {

	private FirewallCommand() {
	}

	@Command(name = "firewall", mixinStandardHelpOptions = true,
			description = "Show or change a VE's inbound firewall: rules in order (the first that matches decides),"
					+ " then the policy. A rule is 'allow|drop tcp|udp|icmp|any [PORT[-PORT]] [from PREFIX]'.")
	static class OfVe implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--policy", paramLabel = "allow|drop", description = "What no rule matches gets.")
		String policy;

		@Option(names = "--icmp", paramLabel = "allow|drop", description = "ICMP before the rules (default allow).")
		String icmp;

		@Option(names = "--established", paramLabel = "allow|drop",
				description = "Replies to what the VE opened, before the rules (default allow).")
		String established;

		@Option(names = "--add", paramLabel = "RULE", description = "Append a rule (repeatable).")
		List<String> add = new ArrayList<>();

		@Option(names = "--del", paramLabel = "RULE|N", description = "Remove a rule, as written or by its number (repeatable).")
		List<String> del = new ArrayList<>();

		@Option(names = "--clear", description = "Remove every rule and let everything in (the firewall of a new VE).")
		boolean clear;

		@Option(names = "--node-rules", paramLabel = "apply|exempt",
				description = "Whether the node-wide rules apply to this VE (default apply).")
		String nodeRules;

		@Option(names = "--json", description = "Print JSON.")
		boolean json;

		@Override
		public Integer call() {
			VeEngine open = engine.open();
			Firewall current = open.firewall(name);
			boolean changing = clear || policy != null || icmp != null || established != null || !add.isEmpty()
					|| !del.isEmpty();
			if (changing) {
				Firewall changed = changed(clear ? Firewall.OPEN : current);
				open.setFirewall(name, changed);
				current = open.firewall(name);
			}
			if (nodeRules != null) {
				open.setNodeRulesExempt(name, switch (nodeRules) {
					case "apply" -> false;
					case "exempt" -> true;
					default -> throw new EngineException("--node-rules: apply or exempt, not '" + nodeRules + "'");
				});
			}
			print(current);
			if (!json && open.nodeRulesExempt(name)) {
				System.out.println("the node-wide rules pass over this VE");
			}
			return 0;
		}

		private Firewall changed(Firewall from) {
			List<FirewallRule> rules = new ArrayList<>(from.rules());
			List<FirewallRule> gone = new ArrayList<>();
			for (String which : del) {
				gone.add(which.matches("\\d+") ? numbered(rules, Integer.parseInt(which)) : FirewallRule.parse(which));
			}
			for (FirewallRule rule : gone) {
				if (!rules.remove(rule)) {
					throw new EngineException("firewall: " + name + " has no rule '" + rule + "'");
				}
			}
			add.forEach(rule -> rules.add(FirewallRule.parse(rule)));
			return new Firewall(policy == null ? from.policy() : allows(policy, "--policy") ? Action.ALLOW : Action.DROP,
					icmp == null ? from.icmp() : allows(icmp, "--icmp"),
					established == null ? from.established() : allows(established, "--established"), rules);
		}

		private static boolean allows(String value, String option) {
			return switch (value.toLowerCase(java.util.Locale.ROOT)) {
				case "allow" -> true;
				case "drop" -> false;
				default -> throw new EngineException(option + ": allow or drop, not '" + value + "'");
			};
		}

		private static FirewallRule numbered(List<FirewallRule> rules, int number) {
			if (number < 1 || number > rules.size()) {
				throw new EngineException("firewall: there is no rule number " + number + " (1 to " + rules.size() + ")");
			}
			return rules.get(number - 1);
		}

		private void print(Firewall firewall) {
			if (json) {
				System.out.println("{\"policy\":" + Json.string(firewall.policy().name().toLowerCase())
						+ ",\"icmp\":" + firewall.icmp() + ",\"established\":" + firewall.established() + ",\"rules\":"
						+ firewall.rules().stream().map(r -> Json.string(r.toString()))
							.collect(java.util.stream.Collectors.joining(",", "[", "]")) + "}");
				return;
			}
			System.out.println("policy " + firewall.policy().name().toLowerCase() + ", ICMP "
					+ (firewall.icmp() ? "allowed" : "dropped") + ", established "
					+ (firewall.established() ? "allowed" : "dropped"));
			for (int i = 0; i < firewall.rules().size(); i++) {
				System.out.println((i + 1) + "  " + firewall.rules().get(i));
			}
		}
	}

	@Command(name = "firewall", mixinStandardHelpOptions = true,
			description = "Show or change the node-wide rules, which drop before any VE's firewall is read."
					+ " A rule is 'in|out drop tcp|udp|icmp|any [PORT[-PORT]] [from|to PREFIX]'.")
	static class OfNode implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Option(names = "--add", paramLabel = "RULE", description = "Append a rule (repeatable), such as 'out drop tcp 25'.")
		List<String> add = new ArrayList<>();

		@Option(names = "--del", paramLabel = "RULE", description = "Remove a rule as written (repeatable).")
		List<String> del = new ArrayList<>();

		@Option(names = "--clear", description = "Remove every node rule.")
		boolean clear;

		@Override
		public Integer call() {
			VeEngine open = engine.open();
			if (clear || !add.isEmpty() || !del.isEmpty()) {
				List<NodeRule> rules = new ArrayList<>(clear ? List.of() : open.nodeFirewall());
				for (String which : del) {
					NodeRule rule = NodeRule.parse(which);
					if (!rules.remove(rule)) {
						throw new EngineException("firewall: the node has no rule '" + rule + "'");
					}
				}
				add.forEach(rule -> rules.add(NodeRule.parse(rule)));
				open.setNodeFirewall(rules);
			}
			List<NodeRule> rules = open.nodeFirewall();
			if (rules.isEmpty()) {
				System.out.println("no node rules");
			}
			rules.forEach(System.out::println);
			return 0;
		}
	}
}
