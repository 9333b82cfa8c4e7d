// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import picocli.CommandLine.IVersionProvider;

class CairnVersion implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = CairnVersion.class.getPackage().getImplementationVersion();
		return new String[] { "cairn " + (version == null ? "development build" : version) };
	}
}
