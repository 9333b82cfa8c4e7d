// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.network;

/** Bytes and packets a VE received and sent on its link, as its own eth0 counts them. */
public record VeTraffic(long rxBytes, long rxPackets, long txBytes, long txPackets) {

	public static final VeTraffic NONE = new VeTraffic(0, 0, 0, 0);
}
