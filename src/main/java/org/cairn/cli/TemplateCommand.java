// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.concurrent.Callable;

import org.cairn.engine.template.Template;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn template ...}: the OS templates VEs are made from. */
@Command(name = "template", mixinStandardHelpOptions = true, description = "List, build, import and delete OS templates.",
		subcommands = { TemplateCommand.ListTemplates.class, TemplateCommand.Build.class, TemplateCommand.Import.class,
				TemplateCommand.Delete.class })
class TemplateCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the built templates.")
	static class ListTemplates implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Mixin
		ListingOutput output;

		@Option(names = { "-o", "--output" }, split = ",", paramLabel = "COLUMN", completionCandidates = ColumnNames.class,
				description = "Print these columns, tab-separated: ${COMPLETION-CANDIDATES}.")
		java.util.List<String> columns;

		static final Columns<Template> COLUMNS = new Columns<Template>().with("name", Template::name)
			.with("init", t -> t.initSystem().name().toLowerCase(java.util.Locale.ROOT))
			.with("description", Template::description);

		static final class ColumnNames extends ListingOutput.Names {

			ColumnNames() {
				super(COLUMNS);
			}
		}

		@Override
		public Integer call() {
			output.print(engine.openToLook().templates(), columns, COLUMNS,
					all -> all.stream().map(t -> "{\"name\":" + Json.string(t.name()) + ",\"init\":"
							+ Json.string(t.initSystem().name().toLowerCase(java.util.Locale.ROOT)) + ",\"description\":"
							+ Json.string(t.description()) + "}").collect(java.util.stream.Collectors.joining(",", "[", "]")),
					t -> System.out.println(t.name() + "  " + t.description()));
			return 0;
		}
	}

	@Command(name = "build", mixinStandardHelpOptions = true, description = "Build (or rebuild) a template: busybox, debian-12, debian-13 (systemd), debian-12-sysvinit (debootstrap).")
	static class Build implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", description = "busybox, debian-12, debian-13 or debian-12-sysvinit")
		String name;

		@Override
		public Integer call() {
			Template template = engine.open().buildTemplate(name);
			System.out.println("built " + template.name() + ": " + template.description());
			return 0;
		}
	}

	@Command(name = "import", mixinStandardHelpOptions = true,
			description = "Make a template of a root file system archive (.tar, .tar.gz, .tar.xz, .tar.zst) or an OCI image archive.")
	static class Import implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(index = "0", paramLabel = "NAME")
		String name;

		@Parameters(index = "1", paramLabel = "FILE")
		java.nio.file.Path file;

		@picocli.CommandLine.Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "8G",
				description = "The most the template's files may hold (default 8G).")
		String maxSize;

		@Override
		public Integer call() {
			long max = org.cairn.engine.ResourceLimits.parseSize("max-size", maxSize);
			Template template = engine.open().importTemplate(name, file, max, file.getFileName().toString(),
					System.out::println);
			System.out.println("imported " + template.name() + ": " + template.description());
			return 0;
		}
	}

	@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a template no VE uses.")
	static class Delete implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.TemplateNames.class)
		String name;

		@Override
		public Integer call() {
			engine.open().deleteTemplate(name);
			System.out.println("deleted " + name);
			return 0;
		}
	}
}
