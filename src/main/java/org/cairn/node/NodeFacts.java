// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cairn.engine.NodeCapacity;
import org.cairn.engine.VeEngine;
import org.cairn.engine.template.Template;

/**
 * What the panel shows of a node and places new VEs by: the software it runs, its kernel and cgroup mode, what it
 * has (from the engine) and the templates built there.
 * @param version Cairn's version on the node
 * @param kernel the node's kernel release
 * @param cgroupVersion "v1" or "v2"
 * @param capacity the node's memory, CPUs and disk
 * @param ves how many VEs the engine holds
 * @param templates the names of the templates built on the node
 */
public record NodeFacts(String version, String kernel, String cgroupVersion, NodeCapacity capacity, int ves,
		List<String> templates) {

	static NodeFacts of(VeEngine engine) {
		return new NodeFacts(cairnVersion(), kernelRelease(), engine.cgroupVersion(), engine.capacity(), engine.list().size(),
				engine.templates().stream().map(Template::name).toList());
	}

	/** Cairn's version as the jar says it, or "development build" from a checkout. */
	public static String cairnVersion() {
		String version = NodeFacts.class.getPackage().getImplementationVersion();
		return version == null ? "development build" : version;
	}

	public static String kernelRelease() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}
}
