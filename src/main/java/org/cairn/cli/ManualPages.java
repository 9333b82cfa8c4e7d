// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The manual pages of {@code cairn}, written in troff from the picocli model that {@code --help} prints, so they
 * never drift from it: {@code cairn(1)}, and one page for each verb of {@code cairn} ({@code cairn-ve(1)},
 * {@code cairn-backup(1)}, ...) that describes every verb below it.
 */
final class ManualPages {

	private final String version;

	ManualPages(String version) {
		this.version = version;
	}

	/** File name (cairn.1, cairn-ve.1, ...) to its troff text. */
	Map<String, String> all(CommandLine cairn) {
		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("cairn.1", main(cairn));
		cairn.getSubcommands().forEach((name, verb) -> pages.put("cairn-" + name + ".1", verbPage(verb)));
		return pages;
	}

	private String main(CommandLine cairn) {
		StringBuilder page = header("cairn", String.join(" ", cairn.getCommandSpec().usageMessage().description()));
		page.append(".SH SYNOPSIS\n.B cairn\n[\\fIVERB\\fR] [\\fIOPTIONS\\fR]\n.SH DESCRIPTION\n")
			.append(text("Cairn is a self-service VPS hosting panel with its own isolation engine. With no verb, or "
					+ "with Spring properties only (--server.port=8080), cairn starts the web panel. Each verb "
					+ "below is a tool of the node's admin and runs without the panel."))
			.append(".SH VERBS\n");
		cairn.getSubcommands().forEach((name, verb) -> page.append(".TP\n").append(bold("cairn " + name)).append('\n')
			.append(text(String.join(" ", verb.getCommandSpec().usageMessage().description())))
			.append(text("See cairn-" + name + "(1).")));
		page.append(".SH OPTIONS\n");
		options(page, cairn.getCommandSpec());
		page.append(".SH ENVIRONMENT\n");
		environment(page, "CAIRN_ROOT", "The engine's root: templates, VEs and their state (default /var/lib/cairn).");
		environment(page, "CAIRN_CGROUP_PARENT", "The cgroup under which VEs' cgroups are made (default cairn).");
		environment(page, "CAIRN_FIRST_UID", "The first host uid handed to VEs (default 1048576).");
		environment(page, "CAIRN_CGROUP", "The cgroup driver: auto, v1 or v2 (default auto).");
		environment(page, "CAIRN_NODE_NETNS", "The network namespace of the node's side of VE networks.");
		environment(page, "CAIRN_WAIT", "Seconds to wait while another operation holds a VE (default 120).");
		environment(page, "JAVA_HOME", "The JDK 25 that runs cairn (default: the first JDK 25 in /usr/lib/jvm).");
		page.append(".SH EXIT STATUS\n");
		exitStatus(page);
		page.append(".SH FILES\n");
		file(page, "/etc/cairn/cairn.env", "The panel's settings, as environment variables (read by cairn.service).");
		file(page, "/var/lib/cairn", "The engine's root and the panel's data.");
		file(page, "/var/cache/cairn/cli.aot", "The JDK's ahead-of-time cache that makes a verb start fast.");
		page.append(".SH SEE ALSO\n").append(seeAlso(cairn, null));
		return page.toString();
	}

	private String verbPage(CommandLine verb) {
		CommandSpec spec = verb.getCommandSpec();
		String name = "cairn-" + spec.name();
		StringBuilder page = header(name, String.join(" ", spec.usageMessage().description()));
		page.append(".SH SYNOPSIS\n").append(synopsis(spec));
		page.append(".SH DESCRIPTION\n").append(text(String.join(" ", spec.usageMessage().description())));
		List<CommandLine> leaves = new ArrayList<>();
		leaves(verb, leaves);
		if (leaves.isEmpty()) {
			page.append(".SH OPTIONS\n");
			options(page, spec);
		}
		else {
			page.append(".SH VERBS\n");
			for (CommandLine leaf : leaves) {
				CommandSpec leafSpec = leaf.getCommandSpec();
				page.append(".SS ").append(escape(leafSpec.qualifiedName())).append('\n')
					.append(synopsis(leafSpec))
					.append(text(String.join(" ", leafSpec.usageMessage().description())));
				options(page, leafSpec);
			}
		}
		page.append(".SH EXIT STATUS\n");
		exitStatus(page);
		page.append(".SH SEE ALSO\n").append(seeAlso(verb.getParent(), spec.name()));
		return page.toString();
	}

	private static void leaves(CommandLine command, List<CommandLine> into) {
		for (CommandLine sub : command.getSubcommands().values()) {
			if (sub.getSubcommands().isEmpty()) {
				into.add(sub);
			}
			else {
				leaves(sub, into);
			}
		}
	}

	private StringBuilder header(String name, String summary) {
		return new StringBuilder().append(".\\\" Generated from cairn's picocli model at build time; do not edit.\n")
			.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"cairn ")
			.append(version).append("\" \"Cairn Manual\"\n")
			.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary)).append('\n');
	}

	private static String synopsis(CommandSpec spec) {
		CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
		String line = help.synopsis(0).replaceAll("\\s+", " ").strip();
		return ".PP\n.nf\n" + escape(line) + "\n.fi\n";
	}

	private static void options(StringBuilder page, CommandSpec spec) {
		for (PositionalParamSpec parameter : spec.positionalParameters()) {
			if (!parameter.hidden()) {
				item(page, "\\fI" + escape(parameter.paramLabel()) + "\\fR", parameter);
			}
		}
		for (OptionSpec option : spec.options()) {
			if (option.hidden()) {
				continue;
			}
			String names = String.join(", ", option.names());
			String label = option.typeInfo().isBoolean() ? "" : "=\\fI" + escape(option.paramLabel()) + "\\fR";
			item(page, "\\fB" + escape(names) + "\\fR" + label, option);
		}
	}

	private static void item(StringBuilder page, String term, ArgSpec arg) {
		page.append(".TP\n").append(term).append('\n');
		String description = String.join(" ", arg.description());
		if (!description.isBlank()) {
			page.append(text(description));
		}
	}

	private static void exitStatus(StringBuilder page) {
		page.append(".TP\n.B 0\nDone.\n.TP\n.B 1\nAn error; the message says which and, where it can, what to do.\n")
			.append(".TP\n.B 2\nA usage error: an unknown verb, option or column, a missing argument.\n")
			.append(".TP\n.B 3\nNot found: no such VE, template, snapshot or backup.\n")
			.append(".TP\n.B 4\nBusy: another operation held the VE longer than \\fB\\-\\-wait\\fR; try again.\n");
	}

	private static void environment(StringBuilder page, String name, String meaning) {
		page.append(".TP\n.B ").append(name).append('\n').append(text(meaning));
	}

	private static void file(StringBuilder page, String path, String meaning) {
		page.append(".TP\n.I ").append(escape(path)).append('\n').append(text(meaning));
	}

	private static String seeAlso(CommandLine cairn, String except) {
		List<String> pages = new ArrayList<>();
		if (except != null) {
			pages.add("\\fBcairn\\fR(1)");
		}
		cairn.getSubcommands().keySet().stream().filter(name -> !name.equals(except))
			.forEach(name -> pages.add("\\fBcairn\\-" + escape(name) + "\\fR(1)"));
		return String.join(", ", pages) + "\n";
	}

	private static String bold(String text) {
		return "\\fB" + escape(text) + "\\fR";
	}

	/** A paragraph; picocli's line breaks (%n) become spaces, troff fills the lines. */
	private static String text(String text) {
		return escape(text.replace("%n", " ").replaceAll("\\s+", " ").strip()) + "\n";
	}

	/** Text troff prints as written: backslashes, hyphens, and a leading dot or quote. */
	static String escape(String text) {
		String escaped = text.replace("\\", "\\e").replace("-", "\\-");
		return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
	}
}
