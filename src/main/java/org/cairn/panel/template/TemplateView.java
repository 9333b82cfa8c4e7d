// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import org.jspecify.annotations.Nullable;

/** A template the engine can build: whether it is built, what it is, and its last build here. */
public record TemplateView(String name, boolean built, @Nullable String description, @Nullable TemplateBuild lastBuild) {
}
