// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.cairn.engine.VeEngine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn node ...}: settings of the node that all VEs share. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Settings of the node shared by all VEs.",
		subcommands = { NodeCommand.Nat.class, FirewallCommand.OfNode.class })
class NodeCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	@Command(name = "nat", mixinStandardHelpOptions = true,
			description = "Show or set outbound NAT: VEs with private addresses (10/8, 172.16/12, 192.168/16, 100.64/10)"
					+ " reach out through one interface, with its address. Off by default.")
	static class Nat implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@ArgGroup(exclusive = true)
		Change change;

		static class Change {

			@Option(names = "--interface", paramLabel = "IF", description = "Turn NAT on through this interface.")
			String device;

			@Option(names = "--off", description = "Turn NAT off.")
			boolean off;
		}

		@Override
		public Integer call() {
			VeEngine open = engine.open();
			if (change != null) {
				open.setOutboundNat(change.off ? Optional.empty() : Optional.of(change.device));
			}
			System.out.println(open.outboundNat().map(device -> "outbound NAT: through " + device)
				.orElse("outbound NAT: off"));
			return 0;
		}
	}
}
