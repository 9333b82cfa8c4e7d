// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Predicate;

import org.cairn.engine.firewall.Firewall;
import org.cairn.engine.firewall.FirewallRuleset;
import org.cairn.engine.network.NodeSetup;
import org.cairn.engine.network.RoutedNetwork;

/**
 * The VEs' firewalls on the node: each VE's rules and whether the node-wide rules pass over it, recorded beside the
 * VE and loaded as its chain while it runs. All of it under the firewall's own lock, apart from the VE's, so that a
 * change never waits for a backup; a start loads the chain under the same lock, so no change falls between.
 */
final class VeFirewalls {

	private final VeLocks locks;

	private final NodeSetup nodeSetup;

	private final Duration lockWait;

	VeFirewalls(VeLocks locks, NodeSetup nodeSetup, Duration lockWait) {
		this.locks = locks;
		this.nodeSetup = nodeSetup;
		this.lockWait = lockWait;
	}

	/** The lock of a VE's firewall (no VE name has a dot). */
	VeLocks.Held lock(VeDirectory ve) {
		return locks.acquire(ve.name() + ".firewall", lockWait);
	}

	/** The VE's chain as recorded, for its start; the caller holds {@link #lock}. */
	String chain(VeDirectory ve) {
		return FirewallRuleset.forVe(link(ve), ve.firewall(), ve.nodeRulesExempt());
	}

	/** Takes the VE's chain off the node, at its stop. */
	void remove(VeDirectory ve) {
		try (var held = lock(ve)) {
			nodeSetup.load(FirewallRuleset.removeVe(link(ve)));
		}
	}

	/** Records the VE's rules, and loads them at once where {@code live} (it runs, or its start is under way). */
	void set(VeDirectory ve, Firewall firewall, Predicate<VeDirectory> live) {
		try (var held = lock(ve)) {
			Path next = ve.firewallFile().resolveSibling("firewall.new");
			Files.write(next, firewall.lines());
			Files.move(next, ve.firewallFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			if (live.test(ve) && ve.read().network().isConnected()) {
				nodeSetup.load(chain(ve));
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot record the firewall of " + ve.name() + ": " + ex.getMessage(), ex);
		}
	}

	/** Records whether the node-wide rules pass over the VE, and applies it at once where {@code live}. */
	void setExempt(VeDirectory ve, boolean exempt, Predicate<VeDirectory> live) {
		try (var held = lock(ve)) {
			if (exempt) {
				Files.writeString(ve.nodeRulesExemptFile(), "the node-wide firewall rules pass over this VE\n");
			}
			else {
				Files.deleteIfExists(ve.nodeRulesExemptFile());
			}
			if (live.test(ve) && ve.read().network().isConnected()) {
				nodeSetup.load(FirewallRuleset.exempt(link(ve), exempt));
			}
		}
		catch (IOException ex) {
			throw new EngineException("Cannot record the firewall of " + ve.name() + ": " + ex.getMessage(), ex);
		}
	}

	private static String link(VeDirectory ve) {
		return RoutedNetwork.linkName(ve.read().uidBase(), EngineSettings.IDS_PER_VE);
	}
}
