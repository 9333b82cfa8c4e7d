// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

import org.cairn.engine.EngineException;

/** Paths inside a VE as users give them: absolute, without "." or ".." parts; checked before anything runs. */
public final class VePaths {

	private VePaths() {
	}

	/** The path, without a trailing slash; refused (naming {@code option}) unless absolute and plain. */
	public static String check(String option, String path) {
		if (path == null || path.isEmpty() || !path.startsWith("/")) {
			throw new EngineException(option + ": '" + path + "' must be an absolute path inside the VE, such as /etc/nginx");
		}
		if (path.length() > 4096 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
			throw new EngineException(option + ": the path is too long or holds control characters");
		}
		String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		for (String part : trimmed.substring(1).split("/", -1)) {
			if (trimmed.length() > 1 && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
				throw new EngineException(option + ": '" + path + "' may not hold '..', '.' or '//'");
			}
		}
		return trimmed;
	}

	static String parent(String path) {
		int slash = path.lastIndexOf('/');
		return slash <= 0 ? "/" : path.substring(0, slash);
	}

	static String name(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}
}
