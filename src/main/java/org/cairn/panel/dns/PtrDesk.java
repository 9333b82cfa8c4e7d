// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import org.cairn.engine.EngineException;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.audit.AuditedAction;
import org.cairn.panel.network.IpPoolRemoving;
import org.cairn.panel.network.IpPools;
import org.cairn.panel.system.ClusterScheduler;
import org.cairn.panel.ve.Ve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reverse DNS for customers: the PTR record of each of their VE's addresses (and of any address of its prefixes).
 * The name must resolve back to the address through the node's resolver, unless the address's pool says not to
 * check. Records go to PowerDNS ({@link ReverseDns}) in zones made as needed (an IPv4 /24, an IPv6 /64) and kept
 * per pool; the panel's table says which are set. When a VE goes, its records go (a sweep retries what PowerDNS
 * missed). Audited as {@code PTR_SET} and {@code PTR_DELETE}.
 */
@Service
public class PtrDesk {

	private static final Logger log = LoggerFactory.getLogger(PtrDesk.class);

	/** A host name: labels of letters, digits and hyphens (not at either end), at least two of them. */
	private static final Pattern HOST = Pattern.compile(
			"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

	private final ReverseDns dns;

	private final IpPools pools;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final ForwardCheck forward;

	private final String primary;

	PtrDesk(ReverseDns dns, IpPools pools, JdbcClient jdbc, ApplicationEventPublisher events,
			@Value("${cairn.dns.resolver:}") String resolver, @Value("${cairn.dns.primary:ns.cairn.invalid.}") String primary) {
		this.dns = dns;
		this.pools = pools;
		this.jdbc = jdbc;
		this.events = events;
		this.forward = new ForwardCheck(resolver);
		this.primary = primary.endsWith(".") ? primary : primary + ".";
	}

	/** The VE's addresses with their PTR names, then addresses of its prefixes that have one. */
	public List<PtrView> list(Ve ve) {
		Map<String, String> set = new LinkedHashMap<>();
		jdbc.sql("select host(address), name from ptr_record where ve_id = ? order by family(address), address")
			.param(ve.getId())
			.query((rs, row) -> set.put(rs.getString(1), rs.getString(2)))
			.list();
		List<PtrView> all = new ArrayList<>();
		for (String address : pools.of(ve.getId())) {
			all.add(new PtrView(address, set.remove(address)));
		}
		set.forEach((address, name) -> all.add(new PtrView(address, name)));
		return all;
	}

	@Transactional
	public PtrView set(Ve ve, String addressText, String nameText) {
		InetAddress address = ownAddress(ve, addressText);
		String name = hostName(nameText);
		if (checksNames(address)) {
			List<InetAddress> resolved = forward.addresses(name, address);
			if (!resolved.contains(address)) {
				String found = resolved.isEmpty() ? "it has no " + (address instanceof java.net.Inet4Address ? "A" : "AAAA")
						+ " record" : "it resolves to " + resolved.stream().map(VeNetwork::format)
							.collect(java.util.stream.Collectors.joining(", "));
				events.publishEvent(AuditedAction.failure("PTR_SET", target(ve, address), name + " does not resolve back"));
				throw new PtrException("name", name + " does not resolve to " + VeNetwork.format(address) + " (" + found
						+ "): add an " + (address instanceof java.net.Inet4Address ? "A" : "AAAA") + " record for it first");
			}
		}
		PowerDns client = dns.client();
		String zone = ReverseNames.zone(address);
		try {
			client.ensureZone(zone, primary);
			client.setPtr(zone, ReverseNames.ptrName(address), name + ".");
		}
		catch (PowerDns.DnsException ex) {
			throw new PtrException.Off(ex.getMessage());
		}
		jdbc.sql("""
				insert into dns_zone (name, pool_id) select ?, pool_id from (%s) p on conflict do nothing""".formatted(POOL_OF))
			.params(zone, VeNetwork.format(address), VeNetwork.format(address))
			.update();
		jdbc.sql("""
				insert into ptr_record (address, ve_id, name, zone) values (?::inet, ?, ?, ?)
				on conflict (address) do update set ve_id = excluded.ve_id, name = excluded.name, updated_at = now()""")
			.params(VeNetwork.format(address), ve.getId(), name, zone)
			.update();
		events.publishEvent(new AuditedAction(null, "PTR_SET", target(ve, address), org.cairn.panel.audit.Outcome.SUCCESS,
				name));
		return new PtrView(VeNetwork.format(address), name);
	}

	@Transactional
	public void clear(Ve ve, String addressText) {
		InetAddress address = ownAddress(ve, addressText);
		try {
			dns.client().setPtr(ReverseNames.zone(address), ReverseNames.ptrName(address), null);
		}
		catch (PowerDns.DnsException ex) {
			throw new PtrException.Off(ex.getMessage());
		}
		jdbc.sql("delete from ptr_record where address = ?::inet").param(VeNetwork.format(address)).update();
		events.publishEvent(AuditedAction.success("PTR_DELETE", target(ve, address)));
	}

	/** The pool an address is in: its own row, or the prefix row that holds it. */
	private static final String POOL_OF = """
			select pool_id from ip_address where address = ?::inet
			union all select pool_id from ip_prefix where prefix >>= ?::inet""";

	private boolean checksNames(InetAddress address) {
		return jdbc.sql("select coalesce(bool_and(ptr_check), true) from ip_pool where id in (" + POOL_OF + ")")
			.params(VeNetwork.format(address), VeNetwork.format(address))
			.query(Boolean.class)
			.single();
	}

	/** An address of the VE's, from its pools or in one of its prefixes; else refused naming the field. */
	private InetAddress ownAddress(Ve ve, String text) {
		InetAddress address;
		try {
			address = VeNetwork.parseAddress("address", text);
		}
		catch (EngineException ex) {
			throw new PtrException("address", ex.getMessage().replaceFirst("^address: ", ""));
		}
		String written = VeNetwork.format(address);
		boolean own = pools.of(ve.getId()).contains(written) || pools.prefixesOf(ve.getId()).stream()
			.map(p -> Prefix.parse("prefix", p))
			.anyMatch(p -> p.contains(address));
		if (!own) {
			throw new PtrException("address", written + " is not an address of " + ve.getHostname());
		}
		return address;
	}

	private static String hostName(String text) {
		String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
		if (!HOST.matcher(name).matches()) {
			throw new PtrException("name", "'" + (text == null ? "" : text.strip())
					+ "' is not a host name such as web.example.com");
		}
		return name;
	}

	private static String target(Ve ve, InetAddress address) {
		return "ve:" + ve.getHostname() + " " + VeNetwork.format(address);
	}

	/** Once across the panel's instances (see ClusterScheduler). */
	@Bean
	RecurringTask<Void> sweepTask(
			@Value("${cairn.dns.sweep-every:PT1M}") Duration every) {
		return ClusterScheduler.every("ptr-sweep", every, this::sweep);
	}

	/** Records of VEs that are gone: removed from PowerDNS, then from the table; what fails is tried again later. */
	public void sweep() {
		List<String[]> orphans = jdbc.sql("select host(address), zone from ptr_record where ve_id is null")
			.query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
			.list();
		for (String[] orphan : orphans) {
			try {
				dns.client().setPtr(orphan[1], ReverseNames.ptrName(InetAddress.ofLiteral(orphan[0])), null);
				jdbc.sql("delete from ptr_record where address = ?::inet and ve_id is null").param(orphan[0]).update();
			}
			catch (RuntimeException ex) {
				log.warn("The PTR of {} (its VE is gone) stays in PowerDNS for now: {}", orphan[0], ex.getMessage());
			}
		}
	}

	/** A pool that goes takes its zones with it, but for a zone another pool still has addresses in. */
	@EventListener
	void poolRemoving(IpPoolRemoving removing) {
		List<String> zones = jdbc.sql("""
				select name from dns_zone z where pool_id = ?
				and not exists (select 1 from dns_zone o where o.name = z.name and o.pool_id <> z.pool_id)""")
			.param(removing.poolId())
			.query(String.class)
			.list();
		for (String zone : zones) {
			try {
				dns.client().deleteZone(zone);
			}
			catch (RuntimeException ex) {
				log.warn("The zone {} of a deleted pool stays in PowerDNS: {}", zone, ex.getMessage());
			}
		}
	}

	/** Where the managed PowerDNS answers queries ({@code ADDRESS:PORT}), for tests and the admin's page. */
	public java.util.Optional<String> managedListen() {
		return dns.managedListen();
	}

	/** Why reverse DNS is off; empty when it is on. */
	public java.util.Optional<String> offReason() {
		return dns.offReason();
	}
}
