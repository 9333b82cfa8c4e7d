// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.cairn.engine.network.VeNetwork;

/**
 * What each VE of the node holds alone, read from the records in the engine's {@code ves} folder: its range of
 * user ids and its addresses and prefixes. The caller holds the engine lock while it gives one out.
 */
final class VeAllotments {

	private final Path ves;

	private final EngineSettings settings;

	VeAllotments(Path ves, EngineSettings settings) {
		this.ves = ves;
		this.settings = settings;
	}

	/** An address or prefix is routed to one VE only: none of another VE's addresses or prefixes. */
	void checkAddressesFree(String name, VeNetwork wanted) {
		if (!wanted.isConnected()) {
			return;
		}
		for (VeDirectory other : records(false)) {
			if (other.name().equals(name)) {
				continue;
			}
			VeNetwork taken = other.read().network();
			for (InetAddress address : wanted.addresses()) {
				if (taken.addresses().contains(address) || taken.prefixes().stream().anyMatch(p -> p.contains(address))) {
					throw new EngineException("ip: " + VeNetwork.format(address) + " belongs to the VE " + other.name());
				}
			}
			for (var prefix : wanted.prefixes()) {
				if (taken.prefixes().stream().anyMatch(prefix::overlaps)
						|| taken.addresses().stream().anyMatch(prefix::contains)) {
					throw new EngineException("prefix: " + prefix + " overlaps what the VE " + other.name() + " has");
				}
			}
		}
	}

	/** A free range of ids. */
	long freeUidBase() {
		return freeUidBase(-1);
	}

	/**
	 * A free range of ids, {@code preferred} when it is free (a moved VE keeps its range where it can); the ranges of
	 * VEs being destroyed count as taken until they are gone.
	 */
	long freeUidBase(long preferred) {
		Set<Long> used = new HashSet<>();
		for (VeDirectory ve : records(true)) {
			used.add(ve.read().uidBase());
		}
		if (preferred >= settings.firstUid() && !used.contains(preferred)
				&& (preferred - settings.firstUid()) % EngineSettings.IDS_PER_VE == 0) {
			return preferred;
		}
		long base = settings.firstUid();
		while (used.contains(base)) {
			base += EngineSettings.IDS_PER_VE;
		}
		if (base + EngineSettings.IDS_PER_VE > (1L << 31)) {
			throw new EngineException("No free range of user ids is left for another VE");
		}
		return base;
	}

	/** The VEs' records; with {@code leaving}, also those of VEs being destroyed (folders renamed aside). */
	private List<VeDirectory> records(boolean leaving) {
		try (Stream<Path> entries = Files.list(ves)) {
			return entries.filter(entry -> Files.exists(entry.resolve("ve.properties")))
				.filter(entry -> leaving || VeSpec.NAME.matcher(entry.getFileName().toString()).matches())
				.map(VeDirectory::new)
				.toList();
		}
		catch (IOException ex) {
			throw new EngineException("Cannot list " + ves + ": " + ex.getMessage(), ex);
		}
	}
}
