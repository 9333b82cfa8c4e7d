// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.List;
import java.util.stream.Collectors;

import org.cairn.engine.VeStatus;

/** The CLI's --json output: flat objects, written by hand to keep the engine's tools free of a mapper. */
final class Json {

	private Json() {
	}

	static String of(VeStatus s) {
		return "{\"name\":" + string(s.name()) + ",\"state\":" + string(s.state().label()) + ",\"template\":"
				+ string(s.template()) + ",\"hostname\":" + string(s.hostname()) + ",\"initPid\":"
				+ (s.initPid().isPresent() ? Long.toString(s.initPid().getAsLong()) : "null") + ",\"uidBase\":"
				+ s.uidBase() + ",\"operation\":" + string(s.operation()) + "}";
	}

	static String of(org.cairn.engine.VeUsage u) {
		return "{\"name\":" + string(u.name()) + ",\"memoryBytes\":" + u.memoryBytes() + ",\"memoryPeakBytes\":"
				+ u.memoryPeakBytes() + ",\"swapBytes\":" + u.swapBytes() + ",\"cpuNanos\":" + u.cpuNanos()
				+ ",\"cpuPercent\":" + u.cpuPercent() + ",\"processes\":" + u.processes() + ",\"oomKills\":"
				+ u.oomKills() + ",\"io\":{\"readBytes\":" + u.io().readBytes() + ",\"writeBytes\":" + u.io().writeBytes()
				+ ",\"reads\":" + u.io().reads() + ",\"writes\":" + u.io().writes() + "}"
				+ ",\"disk\":{\"totalBytes\":" + u.disk().totalBytes() + ",\"usedBytes\":" + u.disk().usedBytes()
				+ ",\"freeBytes\":" + u.disk().freeBytes() + ",\"inodes\":" + u.disk().inodes() + ",\"inodesUsed\":"
				+ u.disk().inodesUsed() + ",\"inodesFree\":" + u.disk().inodesFree() + "},\"network\":{\"rxBytes\":"
				+ u.network().rxBytes() + ",\"rxPackets\":" + u.network().rxPackets() + ",\"txBytes\":"
				+ u.network().txBytes() + ",\"txPackets\":" + u.network().txPackets() + "}}";
	}

	/** "addresses: a, b; prefixes: p; egress cap: N bit/s" for people. */
	static String addresses(org.cairn.engine.network.VeNetwork n) {
		return "addresses: " + (n.addresses().isEmpty() ? n.prefixes().isEmpty() ? "none (loopback only)" : "none"
				: n.addresses().stream().map(org.cairn.engine.network.VeNetwork::format).collect(Collectors.joining(", ")))
				+ (n.prefixes().isEmpty() ? "" : "; prefixes: "
						+ n.prefixes().stream().map(Object::toString).collect(Collectors.joining(", ")))
				+ (n.egressBitsPerSecond() > 0 ? "; egress cap: " + n.egressBitsPerSecond() + " bit/s" : "");
	}

	static String of(List<VeStatus> all) {
		return all.stream().map(Json::of).collect(Collectors.joining(",", "[", "]"));
	}

	static String string(String value) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}
}
