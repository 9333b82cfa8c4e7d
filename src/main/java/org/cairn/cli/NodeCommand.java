// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.cairn.engine.VeEngine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn node ...}: settings of the node that all VEs share. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Settings of the node shared by all VEs.",
		subcommands = { NodeCommand.Nat.class, FirewallCommand.OfNode.class, NodeCommand.Join.class,
				NodeCommand.Serve.class })
class NodeCommand implements Runnable {

	@Override
	public void run() {
		new picocli.CommandLine(this).usage(System.out);
	}

	/** Where a node keeps what its join gave it: its key (root only), its certificate and the fleet's authority's. */
	static class IdentityDir {

		@Option(names = "--dir", paramLabel = "DIR", defaultValue = "/etc/cairn/node",
				description = "The node's key (root only) and certificates, as 'cairn node join' keeps them"
						+ " (default /etc/cairn/node).")
		java.nio.file.Path dir;
	}

	@Command(name = "join", mixinStandardHelpOptions = true,
			description = "Join this node to a panel's fleet, with the one-time token the admin got when adding it:"
					+ " the node's key stays here, the panel's authority signs its certificate.")
	static class Join implements Callable<Integer> {

		@Parameters(index = "0", paramLabel = "PANEL_URL", description = "The panel, e.g. https://panel.example")
		java.net.URI panel;

		@Parameters(index = "1", paramLabel = "TOKEN", description = "join_..., shown once when the node was added.")
		String token;

		@Mixin
		IdentityDir identity;

		@Override
		public Integer call() {
			java.nio.file.Path dir = identity.dir;
			String name = org.cairn.node.NodeJoin.join(panel, token, dir);
			System.out.println("joined the fleet as " + name + "; key and certificates in " + dir);
			return 0;
		}
	}

	@Command(name = "serve", mixinStandardHelpOptions = true,
			description = "Serve this node's engine to the fleet's panel (the node agent): HTTPS with mutual TLS, with"
					+ " the identity 'cairn node join' kept; only the panel's certificate is let in.")
	static class Serve implements Callable<Integer> {

		@Mixin
		EngineOptions engine;

		@Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:9443",
				description = "Where the agent answers (default 0.0.0.0:9443).")
		String listen;

		@Mixin
		IdentityDir identity;

		@Override
		public Integer call() throws InterruptedException {
			java.nio.file.Path dir = identity.dir;
			if (!java.nio.file.Files.exists(dir.resolve("node.key"))) {
				throw new org.cairn.node.JoinException("this node has not joined a fleet (no " + dir.resolve("node.key")
						+ "): run cairn node join PANEL_URL TOKEN first");
			}
			int colon = listen.lastIndexOf(':');
			if (colon < 1 || !listen.substring(colon + 1).matches("\\d{1,5}")) {
				throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
						"listen: HOST:PORT, e.g. 0.0.0.0:9443, not '" + listen + "'");
			}
			// the agent's Spring types stay out of this class: picocli reads its methods without Spring on the path
			org.cairn.node.NodeAgentApplication.serve(dir, listen.substring(0, colon).replaceAll("^\\[|\\]$", ""),
					Integer.parseInt(listen.substring(colon + 1)), engine.settings());
			return 0;
		}
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
