// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.net.InetAddress;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.network.IpPools;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Addresses of its own prefixes that a VE's owner puts on the VE's link. Every address of a routed prefix is the
 * VE's already (software may bind to any); one on the link is one the VE sends from by default and answers for
 * without binding to it. The VE cannot add them itself (it has no CAP_NET_ADMIN), so the engine does, at once.
 * Audited as {@code VE_ADDRESS_ADD} and {@code VE_ADDRESS_DELETE}.
 */
@Service
public class VeAddresses {

	private final VeEngine engine;

	private final IpPools pools;

	private final VeManagement ves;

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	VeAddresses(@Lazy VeEngine engine, IpPools pools, VeManagement ves, JdbcClient jdbc, TransactionTemplate tx,
			ApplicationEventPublisher events) {
		this.engine = engine;
		this.pools = pools;
		this.ves = ves;
		this.jdbc = jdbc;
		this.tx = tx;
		this.events = events;
	}

	/** Puts {@code text}, an address of one of the VE's prefixes, on its link. */
	public VeSummary add(Ve ve, String text) {
		ves.ready(ve);
		InetAddress address = address(text);
		List<Prefix> prefixes = pools.prefixesOf(ve.getId()).stream().map(p -> Prefix.parse("prefix", p)).toList();
		if (prefixes.stream().noneMatch(prefix -> prefix.contains(address))) {
			throw new VeException("address", VeNetwork.format(address) + " is in none of the prefixes of "
					+ ve.getHostname() + (prefixes.isEmpty() ? " (it has none)" : ": " + prefixes.stream()
						.map(Prefix::toString).collect(java.util.stream.Collectors.joining(", "))));
		}
		String target = "ve:" + ve.getHostname() + " " + VeNetwork.format(address);
		try {
			tx.executeWithoutResult(status -> {
				jdbc.sql("insert into ve_prefix_address (ve_id, address) values (?, ?::inet)")
					.params(ve.getId(), VeNetwork.format(address))
					.update();
				// in the row's transaction: an engine that refuses leaves no row
				engine.setNetwork(ve.getEngineName(), engine.network(ve.getEngineName()).withAddress(address));
			});
		}
		catch (DuplicateKeyException ex) {
			throw new VeException("address", ve.getHostname() + " has " + VeNetwork.format(address) + " already");
		}
		catch (EngineException ex) {
			events.publishEvent(AuditedAction.failure("VE_ADDRESS_ADD", target, ex.getMessage()));
			throw new VeException("address", VeManagement.customerTerms(ex.getMessage().replaceFirst("^[a-z-]+: ", ""), ve));
		}
		events.publishEvent(AuditedAction.success("VE_ADDRESS_ADD", target));
		return ves.summary(ve);
	}

	/** Takes an address its owner added from the VE's link; those its plan gave it stay. */
	public VeSummary remove(Ve ve, String text) {
		ves.ready(ve);
		InetAddress address = address(text);
		String target = "ve:" + ve.getHostname() + " " + VeNetwork.format(address);
		try {
			tx.executeWithoutResult(status -> {
				int removed = jdbc.sql("delete from ve_prefix_address where ve_id = ? and address = ?::inet")
					.params(ve.getId(), VeNetwork.format(address))
					.update();
				if (removed == 0) {
					throw new VeException("address", VeNetwork.format(address) + " is not an address added to "
							+ ve.getHostname() + " from its prefixes");
				}
				VeNetwork network = engine.network(ve.getEngineName());
				if (network.addresses().contains(address)) {
					engine.setNetwork(ve.getEngineName(), network.withoutAddress(address));
				}
			});
		}
		catch (EngineException ex) {
			events.publishEvent(AuditedAction.failure("VE_ADDRESS_DELETE", target, ex.getMessage()));
			throw new VeException("address", VeManagement.customerTerms(ex.getMessage(), ve));
		}
		events.publishEvent(AuditedAction.success("VE_ADDRESS_DELETE", target));
		return ves.summary(ve);
	}

	private static InetAddress address(String text) {
		try {
			return VeNetwork.parseAddress("address", text);
		}
		catch (EngineException ex) {
			throw new VeException("address", ex.getMessage().replaceFirst("^address: ", ""));
		}
	}
}
