// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cairn.engine.VeEngine;
import org.cairn.engine.VeSpec;
import org.cairn.engine.VeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn ve ...}: the life of Virtual Environments on this node, as vzctl offers it on OpenVZ. */
@Command(name = "ve", mixinStandardHelpOptions = true, description = "Create, run and remove Virtual Environments.",
		subcommands = { VeCommand.Create.class, VeCommand.Start.class, VeCommand.Stop.class, VeCommand.Restart.class,
				VeCommand.Suspend.class, VeCommand.Resume.class, VeCommand.Destroy.class, VeCommand.Status.class,
				VeCommand.ListVes.class, VeCommand.Exec.class, VeCommand.Set.class, VeCommand.Usage.class,
				VeCommand.Reinstall.class, CheckpointCommand.class, CheckpointCommand.Restore.class, MigrateCommand.class, ConsoleCommand.class, SnapshotCommand.class, FirewallCommand.OfVe.class })
class VeCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	/** A verb on one named VE that prints its state afterwards. */
	abstract static class OnOneVe implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		abstract VeStatus act(VeEngine engine, String name);

		@Override
		public Integer call() {
			print(act(engine.open(), name));
			return 0;
		}
	}

	static void print(VeStatus s) {
		System.out.printf("%s %s (template %s, hostname %s%s)%n", s.name(), s.state().label(), s.template(),
				s.hostname(), s.initPid().isPresent() ? ", init pid " + s.initPid().getAsLong() : "");
		if (!s.stopReason().isEmpty()) {
			System.out.println("  " + s.stopReason());
		}
	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a VE from a template.")
	static class Create implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", description = "The new VE's name: a lower-case letter, then at most 31 letters, digits or hyphens.")
		String name;

		@Option(names = "--template", required = true, completionCandidates = ShellCompletion.TemplateNames.class,
				description = "The template, e.g. busybox.")
		String template;

		@Option(names = "--hostname", description = "The VE's host name (default: its name).")
		String hostname;

		@picocli.CommandLine.ArgGroup(exclusive = true)
		RootAccessOptions access = new RootAccessOptions();

		@Mixin
		LimitOptions limits;

		@Mixin
		NetworkOptions network;

		@Option(names = "--nesting", description = "Let the VE's root make user and network namespaces (containers inside it).")
		boolean nesting;

		static class RootAccessOptions {

			@Option(names = "--root-password", paramLabel = "P", description = "root's password inside the VE.")
			String password;

			@Option(names = "--ssh-key", paramLabel = "FILE", description = "A public key file for root's authorized_keys.")
			java.nio.file.Path keyFile;
		}

		@Override
		public Integer call() throws java.io.IOException {
			String key = access.keyFile == null ? null : java.nio.file.Files.readString(access.keyFile);
			org.cairn.engine.ResourceLimits wanted = limits.over(org.cairn.engine.ResourceLimits.NONE);
			VeEngine open = engine.open();
			VeStatus made = open.create(new VeSpec(name, template, hostname, access.password, key, wanted,
					network.network()));
			if (nesting) {
				open.setNesting(name, true);
			}
			print(made);
			return 0;
		}
	}

	@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a stopped VE.")
	static class Start extends OnOneVe {

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.start(name);
		}
	}

	@Command(name = "reinstall", mixinStandardHelpOptions = true,
			description = "Replace a VE's files by a fresh template (every file is lost); name, limits, addresses and backups stay.")
	static class Reinstall extends OnOneVe {

		@Option(names = "--template", required = true, completionCandidates = ShellCompletion.TemplateNames.class,
				description = "The template, e.g. busybox.")
		String template;

		@picocli.CommandLine.ArgGroup(exclusive = false)
		Create.RootAccessOptions access = new Create.RootAccessOptions();

		@Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
				description = "Seconds to wait for a clean power-off (default 30).")
		int timeout;

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.reinstall(name, template, access.password, readKey(access.keyFile), Duration.ofSeconds(timeout));
		}
	}

	static String readKey(java.nio.file.Path file) {
		try {
			return file == null ? null : java.nio.file.Files.readString(file);
		}
		catch (java.io.IOException ex) {
			throw new org.cairn.engine.EngineException("ssh-key: cannot read " + file + ": " + ex.getMessage());
		}
	}

	@Command(name = "stop", mixinStandardHelpOptions = true,
			description = "Ask the VE's init to power off; kill what is left after the timeout.")
	static class Stop extends OnOneVe {

		@Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
				description = "Seconds to wait for a clean power-off (default 30).")
		int timeout;

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.stop(name, Duration.ofSeconds(timeout));
		}
	}

	@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start a VE.")
	static class Restart extends Stop {

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.restart(name, Duration.ofSeconds(timeout));
		}
	}

	@Command(name = "set", mixinStandardHelpOptions = true,
			description = "Change a VE's limits and addresses; a running VE gets them at once.")
	static class Set extends OnOneVe {

		@Mixin
		LimitOptions limits;

		@Mixin
		NetworkOptions.Changes network;

		@Option(names = "--hostname", description = "A new host name: /etc/hostname, /etc/hosts and the live name.")
		String hostname;

		@Option(names = "--root-password", paramLabel = "P", description = "A new password for root inside the VE.")
		String password;

		@Option(names = "--ssh-key", paramLabel = "FILE", description = "A public key file that replaces root's authorized_keys.")
		java.nio.file.Path keyFile;

		@Option(names = "--nesting", paramLabel = "on|off", description = "Containers inside the VE, from its next start.")
		String nesting;

		@Override
		VeStatus act(VeEngine engine, String name) {
			if (nesting != null) {
				if (!nesting.equals("on") && !nesting.equals("off")) {
					throw new org.cairn.engine.EngineException("nesting: on or off, not '" + nesting + "'");
				}
				engine.setNesting(name, nesting.equals("on"));
			}
			if (password != null || keyFile != null) {
				engine.setRootAccess(name, password, readKey(keyFile));
			}
			if (hostname != null) {
				engine.setHostname(name, hostname);
			}
			org.cairn.engine.ResourceLimits current = engine.limits(name);
			org.cairn.engine.ResourceLimits wanted = limits.over(current);
			// both checked before either changes anything
			org.cairn.engine.network.VeNetwork addresses = network.any() ? network.over(engine.network(name)) : null;
			VeStatus status = wanted.equals(current) ? engine.status(name) : engine.set(name, wanted);
			if (addresses != null) {
				status = engine.setNetwork(name, addresses);
			}
			System.out.println(engine.limits(name));
			System.out.println(Json.addresses(engine.network(name)));
			return status;
		}
	}

	@Command(name = "usage", mixinStandardHelpOptions = true, description = "Show what a VE uses now.")
	static class Usage implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--json", description = "Print JSON.")
		boolean json;

		@Override
		public Integer call() {
			VeEngine open = engine.openToLook();
			org.cairn.engine.VeUsage u = open.usage(name);
			if (u.cpuPercent() < 0) {
				// a one-shot reading: CPU % over half a second
				try {
					Thread.sleep(500);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				u = open.usage(name);
			}
			if (json) {
				System.out.println(Json.of(u));
			}
			else {
				System.out.printf("%s: memory %d KB (peak %d KB), swap %d KB, CPU %.1f%% (%.1f s in all), %d processes,"
						+ " %d OOM kills, read %d KB in %d operations, written %d KB in %d%n", u.name(),
						u.memoryBytes() >> 10, u.memoryPeakBytes() >> 10, u.swapBytes() >> 10, u.cpuPercent(),
						u.cpuNanos() / 1e9, u.processes(), u.oomKills(), u.io().readBytes() >> 10, u.io().reads(),
						u.io().writeBytes() >> 10, u.io().writes());
				if (u.network().rxPackets() + u.network().txPackets() > 0) {
					System.out.printf("  network: received %d KB in %d packets, sent %d KB in %d%n",
							u.network().rxBytes() >> 10, u.network().rxPackets(), u.network().txBytes() >> 10,
							u.network().txPackets());
				}
				if (u.disk().totalBytes() > 0) {
					System.out.printf("  disk: %d MB used of %d MB (%d MB free), %d of %d inodes used%n",
							u.disk().usedBytes() >> 20, u.disk().totalBytes() >> 20, u.disk().freeBytes() >> 20,
							u.disk().inodesUsed(), u.disk().inodes());
				}
			}
			return 0;
		}
	}

	@Command(name = "suspend", mixinStandardHelpOptions = true, description = "Freeze every process of a VE.")
	static class Suspend extends OnOneVe {

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.suspend(name);
		}
	}

	@Command(name = "resume", mixinStandardHelpOptions = true, description = "Thaw a suspended VE.")
	static class Resume extends OnOneVe {

		@Override
		VeStatus act(VeEngine engine, String name) {
			return engine.resume(name);
		}
	}

	@Command(name = "destroy", mixinStandardHelpOptions = true,
			description = "Stop a VE and remove everything it had; its name can be used again.")
	static class Destroy implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Override
		public Integer call() {
			engine.open().destroy(name);
			System.out.println(name + " destroyed");
			return 0;
		}
	}

	@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a VE's state.")
	static class Status implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Option(names = "--json", description = "Print JSON.")
		boolean json;

		@Override
		public Integer call() {
			VeEngine open = engine.openToLook();
			VeStatus status = open.status(name);
			if (json) {
				System.out.println(Json.of(status));
			}
			else {
				print(status);
				System.out.println(Json.addresses(open.network(name)));
			}
			return 0;
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the VEs on this root.")
	static class ListVes implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Mixin
		ListingOutput output;

		@Option(names = { "-o", "--output" }, split = ",", paramLabel = "COLUMN", completionCandidates = ColumnNames.class,
				description = "Print these columns, tab-separated: ${COMPLETION-CANDIDATES}.")
		List<String> columns;

		/** ip and prefix read each VE's network file, and only when asked for. */
		static Columns<VeStatus> columns(VeEngine open) {
			return new Columns<VeStatus>().with("name", VeStatus::name)
				.with("state", s -> s.state().label())
				.with("template", VeStatus::template)
				.with("hostname", VeStatus::hostname)
				.with("pid", s -> s.initPid().isPresent() ? Long.toString(s.initPid().getAsLong()) : "")
				.with("ip", s -> String.join(",", open.network(s.name()).addresses().stream()
					.map(org.cairn.engine.network.VeNetwork::format).toList()))
				.with("prefix", s -> String.join(",", open.network(s.name()).prefixes().stream()
					.map(Object::toString).toList()))
				.with("operation", VeStatus::operation)
				.with("stop-reason", VeStatus::stopReason);
		}

		static final class ColumnNames extends ListingOutput.Names {

			ColumnNames() {
				super(columns(null));
			}
		}

		@Override
		public Integer call() {
			VeEngine open = engine.openToLook();
			output.print(open.list(), columns, columns(open), Json::of, VeCommand::print);
			return 0;
		}
	}

	@Command(name = "exec", mixinStandardHelpOptions = true,
			description = { "Run a command in every namespace of a running VE, as its root (-t: with a terminal).",
					"Standard input, output, error and the exit code pass through." })
	static class Exec implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Parameters(index = "0", paramLabel = "NAME", completionCandidates = ShellCompletion.VeNames.class)
		String name;

		@Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
		List<String> command = new ArrayList<>();

		@Option(names = { "-t", "--tty" }, description = "Give the command a terminal (for shells, top, vi).")
		boolean tty;

		@Override
		public Integer call() throws Exception {
			VeEngine open = engine.openToLook();
			return open.exec(name, command, tty).inheritIO().start().waitFor();
		}
	}
}
