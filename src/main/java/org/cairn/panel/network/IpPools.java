// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.network.Prefix;
import org.cairn.engine.network.VeNetwork;
import org.cairn.panel.audit.AuditedAction;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The node's address pools. Every address of a pool is a row; handing addresses to a VE takes free rows with
 * {@code for update skip locked} inside the VE's own transaction, so that two creates never get one address,
 * and a VE's destruction frees its rows (the foreign key sets them free).
 */
@Service
public class IpPools {

	private static final int MOST_ADDRESSES = 65536;

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	IpPools(JdbcClient jdbc, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
	}

	@Transactional(readOnly = true)
	public List<IpPool> all() {
		return jdbc.sql("""
				select p.id, p.name, p.family, host(p.first_address), host(p.last_address), p.nameservers,
				       coalesce(a.size, 0) + coalesce(x.size, 0), coalesce(a.used, 0) + coalesce(x.used, 0),
				       coalesce(p.prefix_length, 0), p.ptr_check,
				       case when p.node_group is null then coalesce(n.name, 'local') end, p.node_group
				from ip_pool p left join fleet_node n on n.id = p.node_id
				left join (select pool_id, count(*) size, count(ve_id) used from ip_address group by pool_id) a
				       on a.pool_id = p.id
				left join (select pool_id, count(*) size, count(ve_id) used from ip_prefix group by pool_id) x
				       on x.pool_id = p.id
				order by p.family, p.name""")
			.query((rs, row) -> new IpPool(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
					split(rs.getString(6)), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getBoolean(10), rs.getString(11),
					rs.getString(12)))
			.list();
	}

	/**
	 * The addresses of a prefix that a VE may hold: never an IPv4 network's own address or its broadcast (but
	 * for /31 and /32, which have none), nor an IPv6 prefix's subnet-router anycast address (its first).
	 */
	static InetAddress[] usable(String prefix) {
		String[] parts = prefix.split("/", 2);
		InetAddress network = address("first", parts[0]);
		int bits = network.getAddress().length * 8;
		int length;
		try {
			length = Integer.parseInt(parts[1]);
		}
		catch (NumberFormatException ex) {
			throw new IpPoolException("first", "'" + shortened(prefix) + "' is not a prefix such as 198.51.100.0/28");
		}
		if (length < 0 || length > bits) {
			throw new IpPoolException("first", "a prefix length is 0 to " + bits);
		}
		BigInteger start = new BigInteger(1, network.getAddress());
		BigInteger size = BigInteger.ONE.shiftLeft(bits - length);
		if (!start.mod(size).equals(BigInteger.ZERO)) {
			throw new IpPoolException("first", VeNetwork.format(network) + " is not the start of a /" + length
					+ "; the prefix starts at " + VeNetwork.format(toAddress(start.subtract(start.mod(size)), bits)));
		}
		BigInteger end = start.add(size).subtract(BigInteger.ONE);
		boolean v4 = bits == 32;
		if (v4 && length <= 30) {
			return new InetAddress[] { toAddress(start.add(BigInteger.ONE), bits), toAddress(end.subtract(BigInteger.ONE), bits) };
		}
		if (!v4 && length < 127) {
			return new InetAddress[] { toAddress(start.add(BigInteger.ONE), bits), toAddress(end, bits) };
		}
		return new InetAddress[] { toAddress(start, bits), toAddress(end, bits) };
	}

	private static InetAddress toAddress(BigInteger value, int bits) {
		byte[] raw = value.toByteArray();
		byte[] bytes = new byte[bits / 8];
		int copy = Math.min(raw.length, bytes.length);
		System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String shortened(String value) {
		return value.length() <= 60 ? value : value.substring(0, 60) + "...";
	}

	@Transactional
	public IpPool create(IpPoolForm form) {
		String name = form.name() == null ? "" : form.name().strip();
		if (!name.matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}")) {
			throw new IpPoolException("name", "must be 1 to 64 letters, digits, spaces, '.', '_' or '-'");
		}
		String group = group(form);
		Long node = group == null ? node(form.node()) : null;
		if (form.prefixLength() != null && !form.prefixLength().isBlank()) {
			return createPrefixPool(name, form, node, group);
		}
		InetAddress first;
		InetAddress last;
		if (form.first() != null && form.first().contains("/")) {
			if (form.last() != null && !form.last().isBlank()) {
				throw new IpPoolException("last", "leave it empty when the first is a prefix such as 198.51.100.0/28");
			}
			InetAddress[] range = usable(form.first().strip());
			first = range[0];
			last = range[1];
		}
		else {
			first = address("first", form.first());
			last = address("last", form.last());
		}
		if ((first instanceof Inet4Address) != (last instanceof Inet4Address)) {
			throw new IpPoolException("last", "must be of the same family (IPv4 or IPv6) as the first address");
		}
		BigInteger count = new BigInteger(1, last.getAddress()).subtract(new BigInteger(1, first.getAddress())).add(BigInteger.ONE);
		if (count.signum() <= 0) {
			throw new IpPoolException("last", "must not come before the first address");
		}
		if (count.compareTo(BigInteger.valueOf(MOST_ADDRESSES)) > 0) {
			throw new IpPoolException("last", "a pool holds at most " + MOST_ADDRESSES + " addresses");
		}
		List<String> nameservers = split(form.nameservers()).stream()
			.map(text -> VeNetwork.format(address("nameservers", text)))
			.toList();
		for (InetAddress end : List.of(first, last)) {
			try {
				new VeNetwork(List.of(end), List.of(), 0);
			}
			catch (EngineException ex) {
				throw new IpPoolException(end == first ? "first" : "last", ex.getMessage().replaceFirst("^[a-z]+: ", ""));
			}
		}
		int family = first instanceof Inet4Address ? 4 : 6;
		checkNameFree(name);
		checkNoOverlap(first, last);
		long id = jdbc.sql("""
				insert into ip_pool (name, family, first_address, last_address, nameservers, node_id, node_group)
				values (?, ?, ?::inet, ?::inet, ?, ?, ?) returning id""")
			.params(name, family, VeNetwork.format(first), VeNetwork.format(last), String.join(" ", nameservers), node,
					group)
			.query(Long.class)
			.single();
		try {
			jdbc.sql("insert into ip_address (pool_id, address) select ?, ?::inet + g from generate_series(0, ?) g")
				.params(id, VeNetwork.format(first), count.longValueExact() - 1)
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new IpPoolException("first", "the range overlaps another pool's addresses");
		}
		events.publishEvent(AuditedAction.success("IP_POOL_CREATE", "pool:" + name));
		return all().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
	}

	/** The node a pool serves, by its name: null for the panel's own machine (empty, or "local"). */
	private Long node(@Nullable String name) {
		String given = name == null ? "" : name.strip();
		if (given.isEmpty() || given.equals("local")) {
			return null;
		}
		return jdbc.sql("select id from fleet_node where name = ?").param(given).query(Long.class).optional()
			.orElseThrow(() -> new IpPoolException("node", "no node is named '" + shortened(given) + "'"));
	}

	/** The node group a pool serves: none, or one, when no node (other than the default, local) is named. */
	private static @Nullable String group(IpPoolForm form) {
		String group;
		try {
			group = org.cairn.panel.fleet.NodeGroups.parse("nodeGroup", form.nodeGroup());
		}
		catch (org.cairn.panel.system.InputException ex) {
			throw new IpPoolException("nodeGroup", ex.getMessage());
		}
		String node = form.node() == null ? "" : form.node().strip();
		if (group != null && !node.isEmpty() && !node.equals("local")) {
			throw new IpPoolException("nodeGroup", "a pool serves one node or one node group, not both");
		}
		return group;
	}

	/**
	 * The pools that serve VE {@code ?}'s node: its own (the panel's machine's when it has none) and its node group's.
	 * Takes the VE's id twice.
	 */
	private static final String SERVES_THE_VES_NODE = """
			(p.node_group is null and p.node_id is not distinct from (select node_id from ve where id = ?)
			 or p.node_group = (select n.node_group from ve v join fleet_node n on n.id = v.node_id where v.id = ?))""";

	private void checkNameFree(String name) {
		if (jdbc.sql("select count(*) from ip_pool where lower(name) = lower(?)").param(name).query(Long.class).single() > 0) {
			throw new IpPoolException("name", "is already the name of a pool");
		}
	}

	/** Pools never share an address: a pool of addresses and a pool of prefixes no more than two of either. */
	private void checkNoOverlap(InetAddress first, InetAddress last) {
		boolean overlaps = jdbc.sql("""
				select exists (select 1 from ip_pool where family(first_address) = family(?::inet)
				               and first_address <= ?::inet and last_address >= ?::inet)""")
			.params(VeNetwork.format(first), VeNetwork.format(last), VeNetwork.format(first))
			.query(Boolean.class)
			.single();
		if (overlaps) {
			throw new IpPoolException("first", "the range overlaps another pool's addresses");
		}
	}

	/** The most prefixes one pool is cut into, as for addresses. */
	private static final int MOST_PREFIXES = MOST_ADDRESSES;

	/** An IPv6 prefix (2001:db8:1::/48) cut into prefixes of the form's length (/64), each a row. */
	private IpPool createPrefixPool(String name, IpPoolForm form, @Nullable Long node, @Nullable String group) {
		Prefix whole;
		try {
			whole = Prefix.parse("first", form.first() == null ? "" : form.first().strip());
		}
		catch (EngineException ex) {
			throw new IpPoolException("first", ex.getMessage().replaceFirst("^[a-z]+: ", ""));
		}
		if (whole.isIpv4() || !form.first().contains("/")) {
			throw new IpPoolException("first", "a pool of prefixes is an IPv6 prefix such as 2001:db8:1::/48");
		}
		if (form.last() != null && !form.last().isBlank()) {
			throw new IpPoolException("last", "leave it empty for a pool of prefixes");
		}
		int length;
		try {
			length = Integer.parseInt(form.prefixLength().strip().replaceFirst("^/", ""));
		}
		catch (NumberFormatException ex) {
			throw new IpPoolException("prefixLength", "a length such as 64");
		}
		if (length < Math.max(whole.length(), VeNetwork.SHORTEST_PREFIX) || length > 128) {
			throw new IpPoolException("prefixLength", "from /" + Math.max(whole.length(), VeNetwork.SHORTEST_PREFIX)
					+ " to /128: the prefixes are cut from " + whole);
		}
		if (length - whole.length() > 16) {
			throw new IpPoolException("prefixLength", "a pool holds at most " + MOST_PREFIXES + " prefixes; " + whole
					+ " holds 2^" + (length - whole.length()) + " of /" + length);
		}
		try {
			new VeNetwork(List.of(), List.of(), 0, List.of(new Prefix(whole.network(), length)));
		}
		catch (EngineException ex) {
			throw new IpPoolException("first", ex.getMessage().replaceFirst("^[a-z]+: ", ""));
		}
		List<String> nameservers = split(form.nameservers()).stream()
			.map(text -> VeNetwork.format(address("nameservers", text)))
			.toList();
		BigInteger start = new BigInteger(1, whole.network().getAddress());
		BigInteger step = BigInteger.ONE.shiftLeft(128 - length);
		int count = 1 << (length - whole.length());
		InetAddress last = toAddress(start.add(step.multiply(BigInteger.valueOf(count))).subtract(BigInteger.ONE), 128);
		checkNameFree(name);
		checkNoOverlap(whole.network(), last);
		long id = jdbc.sql("""
				insert into ip_pool (name, family, first_address, last_address, nameservers, prefix_length, node_id,
				  node_group)
				values (?, 6, ?::inet, ?::inet, ?, ?, ?, ?) returning id""")
			.params(name, VeNetwork.format(whole.network()), VeNetwork.format(last), String.join(" ", nameservers), length,
					node, group)
			.query(Long.class)
			.single();
		String[] prefixes = new String[count];
		for (int i = 0; i < count; i++) {
			prefixes[i] = VeNetwork.format(toAddress(start.add(step.multiply(BigInteger.valueOf(i))), 128)) + "/" + length;
		}
		jdbc.sql("insert into ip_prefix (pool_id, prefix) select ?, unnest(?::cidr[])").params(id, prefixes).update();
		events.publishEvent(AuditedAction.success("IP_POOL_CREATE", "pool:" + name));
		return all().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
	}

	/** Free prefixes of {@code length} for the VE, in the caller's transaction; refused when too few are left. */
	@Transactional(propagation = Propagation.MANDATORY)
	public List<String> allocatePrefixes(long veId, int count, int length) {
		if (count == 0) {
			return List.of();
		}
		List<String> taken = jdbc.sql("""
				update ip_prefix set ve_id = ? where id in (
				  select x.id from ip_prefix x join ip_pool p on p.id = x.pool_id
				  where p.prefix_length = ? and x.ve_id is null and """ + SERVES_THE_VES_NODE + """
				  order by x.id limit ? for update of x skip locked)
				returning prefix::text""")
			.params(veId, length, veId, veId, count)
			.query(String.class)
			.list();
		if (taken.size() < count) {
			throw new IpPoolException("plan", "the VE's node has no free IPv6 /" + length + " prefix left for this plan");
		}
		return taken;
	}

	/** The VE's prefixes. */
	@Transactional(readOnly = true)
	public List<String> prefixesOf(long veId) {
		return jdbc.sql("select prefix::text from ip_prefix where ve_id = ? order by prefix").param(veId)
			.query(String.class)
			.list();
	}

	/** Whether PTR names of the pool's addresses must resolve back to them (on by default). */
	@Transactional
	public IpPool setPtrCheck(long id, boolean on) {
		IpPool pool = all().stream().filter(p -> p.id() == id).findFirst()
			.orElseThrow(() -> new IpPoolNotFoundException(id));
		jdbc.sql("update ip_pool set ptr_check = ? where id = ?").params(on, id).update();
		events.publishEvent(new AuditedAction(null, "IP_POOL_PTR_CHECK", "pool:" + pool.name(),
				org.cairn.panel.audit.Outcome.SUCCESS, on ? "on" : "off"));
		return all().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
	}

	@Transactional
	public void delete(long id) {
		IpPool pool = all().stream().filter(p -> p.id() == id).findFirst()
			.orElseThrow(() -> new IpPoolNotFoundException(id));
		if (pool.used() > 0) {
			throw new IpPoolInUseException(pool.used());
		}
		events.publishEvent(new IpPoolRemoving(id));
		jdbc.sql("delete from ip_pool where id = ?").param(id).update();
		events.publishEvent(AuditedAction.success("IP_POOL_DELETE", "pool:" + pool.name()));
	}

	/** Free addresses of one family for the VE, in the caller's transaction; refused when too few are left. */
	@Transactional(propagation = Propagation.MANDATORY)
	public Allocation allocate(long veId, int family, int count) {
		if (count == 0) {
			return new Allocation(List.of(), List.of());
		}
		List<Object[]> rows = jdbc.sql("""
				update ip_address set ve_id = ? where id in (
				  select a.id from ip_address a join ip_pool p on p.id = a.pool_id
				  where p.family = ? and a.ve_id is null and """ + SERVES_THE_VES_NODE + """
				  order by a.id limit ? for update of a skip locked)
				returning host(address), (select nameservers from ip_pool where id = pool_id)""")
			.params(veId, family, veId, veId, count)
			.query((rs, row) -> new Object[] { rs.getString(1), rs.getString(2) })
			.list();
		if (rows.size() < count) {
			throw new IpPoolException("plan", "the VE's node has no free IPv" + family + " address left for this plan");
		}
		return new Allocation(rows.stream().map(r -> (String) r[0]).toList(),
				rows.stream().flatMap(r -> split((String) r[1]).stream()).distinct().toList());
	}

	/** The VE's addresses. */
	@Transactional(readOnly = true)
	public List<String> of(long veId) {
		return jdbc.sql("""
				select host(address) from (select address from ip_address where ve_id = ?
				                           union all select address from ve_prefix_address where ve_id = ?) a
				order by family(address), address""")
			.params(veId, veId)
			.query(String.class)
			.list();
	}

	/** Addresses handed to a VE and the name servers of their pools. */
	public record Allocation(List<String> addresses, List<String> nameservers) {
	}

	private static InetAddress address(String field, String text) {
		try {
			return VeNetwork.parseAddress(field, text);
		}
		catch (EngineException ex) {
			throw new IpPoolException(field, ex.getMessage().replaceFirst("^[a-z]+: ", ""));
		}
	}

	private static List<String> split(String text) {
		return text == null ? List.of() : Arrays.stream(text.split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
	}
}
