// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import org.jspecify.annotations.Nullable;

/**
 * A template: whether it is built, what it is, its last build or import here, whether Cairn builds it (else an
 * admin imported it), the init it boots, and whether it is hidden from customers.
 */
public record TemplateView(String name, boolean built, @Nullable String description, @Nullable TemplateBuild lastBuild,
		boolean buildable, @Nullable String init, boolean hidden, java.util.List<String> builtOn,
		java.util.List<String> missingOn) {
}
