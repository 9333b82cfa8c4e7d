// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.concurrent.Callable;

import org.cairn.engine.template.Template;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn template ...}: the OS templates VEs are made from. */
@Command(name = "template", mixinStandardHelpOptions = true, description = "List and build OS templates.",
		subcommands = { TemplateCommand.ListTemplates.class, TemplateCommand.Build.class })
class TemplateCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the built templates.")
	static class ListTemplates implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Override
		public Integer call() {
			for (Template t : engine.open().templates()) {
				System.out.println(t.name() + "  " + t.description());
			}
			return 0;
		}
	}

	@Command(name = "build", mixinStandardHelpOptions = true, description = "Build (or rebuild) a template: busybox, debian-12, debian-13 (systemd), debian-12-sysvinit (debootstrap).")
	static class Build implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", description = "busybox or debian-12")
		String name;

		@Override
		public Integer call() {
			Template template = engine.open().buildTemplate(name);
			System.out.println("built " + template.name() + ": " + template.description());
			return 0;
		}
	}
}
