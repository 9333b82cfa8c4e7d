// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.util.regex.Pattern;

import org.cairn.engine.network.VeNetwork;
import org.jspecify.annotations.Nullable;

/**
 * What a new VE is made of.
 * @param name {@code ^[a-z][a-z0-9-]{0,31}$}
 * @param template the template whose tree is the VE's read-only lower layer
 * @param hostname the VE's host name; the name when null
 * @param rootPassword root's password inside, or null to leave root without one
 * @param sshKey OpenSSH public key lines for root's authorized_keys, or null
 * @param limits what the VE may use
 * @param network its addresses, name servers and egress cap
 */
public record VeSpec(String name, String template, @Nullable String hostname, @Nullable String rootPassword,
		@Nullable String sshKey, ResourceLimits limits, VeNetwork network) {

	public VeSpec(String name, String template, @Nullable String hostname, @Nullable String rootPassword,
			@Nullable String sshKey, ResourceLimits limits) {
		this(name, template, hostname, rootPassword, sshKey, limits, VeNetwork.NONE);
	}

	public VeSpec(String name, String template, @Nullable String hostname) {
		this(name, template, hostname, null, null, ResourceLimits.NONE);
	}

	public VeSpec(String name, String template, @Nullable String hostname, @Nullable String rootPassword,
			@Nullable String sshKey) {
		this(name, template, hostname, rootPassword, sshKey, ResourceLimits.NONE);
	}

	public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");

	private static final Pattern HOSTNAME = Pattern
		.compile("^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

	public VeSpec {
		checkName(name);
		if (template == null || !NAME.matcher(template).matches()) {
			throw new EngineException("template: '" + template + "' is not a template name");
		}
		if (hostname == null || hostname.isBlank()) {
			hostname = name;
		}
		checkHostname(hostname);
		if (limits == null) {
			limits = ResourceLimits.NONE;
		}
		if (network == null) {
			network = VeNetwork.NONE;
		}
		RootAccess.checkPassword(rootPassword);
		RootAccess.checkKey(sshKey);
	}

	@Override
	public String toString() {
		// never the password
		return "VeSpec[" + name + ", " + template + ", " + hostname + "]";
	}

	/** RFC 1123: labels of letters, digits and '-' of at most 63 characters, joined by dots, 253 in all. */
	public static void checkHostname(String hostname) {
		if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
			throw new EngineException("hostname: '" + (hostname == null ? "" : shortened(hostname))
					+ "' is not a valid host name: labels of letters, digits and '-' of at most 63 characters, joined"
					+ " by dots, 253 characters in all");
		}
	}

	/** root's password inside: 8 to 256 printable characters (the panel asks more of its customers). */
	public static void checkRootPassword(@Nullable String password) {
		RootAccess.checkPassword(password);
	}

	/** root's authorized keys: see {@link SshKeys}. */
	public static void checkSshKey(@Nullable String key) {
		RootAccess.checkKey(key);
	}

	/** The kernel's host name holds 64 bytes at most (HOST_NAME_MAX). */
	public static final int LIVE_HOSTNAME_MAX = 64;

	/**
	 * The name the kernel gives the VE ({@code hostname}, {@code uname -n}): the whole host name when it fits in
	 * 64 bytes, else its first label. /etc/hostname and /etc/hosts always hold the whole name.
	 */
	public static String liveHostname(String hostname) {
		return hostname.length() <= LIVE_HOSTNAME_MAX ? hostname : hostname.substring(0, hostname.indexOf('.'));
	}

	/** Bad input named in a message, cut short: a 5,000-character value is not echoed whole. */
	static String shortened(String value) {
		return value.length() <= 64 ? value : value.substring(0, 60) + "...";
	}

	public static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new EngineException("name: '" + (name == null ? null : shortened(name))
					+ "' is not a valid VE name: a lower-case letter, then up to 31 lower-case letters, digits or '-'");
		}
	}
}
