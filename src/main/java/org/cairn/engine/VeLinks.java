// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cairn.engine.network.NodeSetup;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.RoutedNetwork;
import org.cairn.engine.network.VeNetwork;

/** A VE's link on the node: the script its supervisor runs at each start, and live changes to a running VE's. */
final class VeLinks {

	private final RoutedNetwork network;

	private final NodeSetup nodeSetup;

	VeLinks(RoutedNetwork network, NodeSetup nodeSetup) {
		this.network = network;
		this.nodeSetup = nodeSetup;
	}

	/**
	 * Brings a running VE's network to {@code record}'s, address by address, and its next starts too; a VE without
	 * a link gets one, after {@code loadFirewall} has loaded its firewall chain.
	 */
	void apply(VeDirectory ve, VeDirectory.Record record, VeNetwork current, long pid, Runnable loadFirewall) {
		VeNetwork wanted = record.network();
		String link = RoutedNetwork.linkName(record.uidBase(), EngineSettings.IDS_PER_VE);
		writeScript(ve, record);
		if (!RoutedNetwork.hasLink(pid)) {
			if (wanted.isConnected()) {
				nodeSetup.apply();
				loadFirewall.run();
				network.runStartScript(ve.networkScript(), pid);
			}
			return;
		}
		// its chain was loaded at its start (by an engine that wrote no such mark, for a VE started before it): the
		// script just written must not wait for it at a reboot inside
		VeRunner.touch(ve.firewallLoaded());
		for (InetAddress address : current.addresses()) {
			if (!wanted.addresses().contains(address)) {
				network.removeAddress(pid, link, address);
			}
		}
		for (Prefix prefix : current.prefixes()) {
			if (!wanted.prefixes().contains(prefix)) {
				network.removePrefix(pid, link, prefix);
			}
		}
		for (Prefix prefix : wanted.prefixes()) {
			if (!current.prefixes().contains(prefix)) {
				network.addPrefix(pid, link, prefix);
			}
		}
		for (InetAddress address : wanted.addresses()) {
			if (!current.addresses().contains(address)) {
				network.addAddress(pid, link, address);
			}
		}
		if (wanted.egressBitsPerSecond() != current.egressBitsPerSecond()) {
			network.setEgress(pid, wanted.egressBitsPerSecond());
		}
	}

	/** The supervisor runs the script at each start of the VE; without addresses there is none (loopback only). */
	void writeScript(VeDirectory ve, VeDirectory.Record record) {
		try {
			if (!record.network().isConnected()) {
				Files.deleteIfExists(ve.networkScript());
				return;
			}
			String link = RoutedNetwork.linkName(record.uidBase(), EngineSettings.IDS_PER_VE);
			Path tmp = ve.state().resolve(".network.sh.tmp");
			Files.writeString(tmp, network.startScript(record.name(), link, record.network(), ve.firewallLoaded(),
					ve.firewallFailed()));
			Files.move(tmp, ve.networkScript(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new EngineException("Cannot write the network script of " + record.name() + ": " + ex.getMessage(), ex);
		}
	}
}
