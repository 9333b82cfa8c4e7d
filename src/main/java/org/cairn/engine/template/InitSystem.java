// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.template;

import java.util.Locale;

/**
 * What a template boots as its VEs' first process, and the signal that asks it for a clean power-off.
 */
public enum InitSystem {

	/** SIGRTMIN+3 (glibc's SIGRTMIN is 34): systemd's "halt", which it also honours in a container. */
	SYSTEMD(37),

	/** sysvinit runs its powerwait entry on SIGPWR; Cairn's templates point it at a power-off. */
	SYSVINIT(30),

	/** busybox init powers off on SIGUSR2 (SIGTERM would reboot). */
	BUSYBOX(12);

	private final int stopSignal;

	InitSystem(int stopSignal) {
		this.stopSignal = stopSignal;
	}

	public int stopSignal() {
		return stopSignal;
	}

	/** "systemd", "sysvinit" or "busybox". */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static InitSystem of(String label) {
		return valueOf(label.toUpperCase(Locale.ROOT));
	}
}
