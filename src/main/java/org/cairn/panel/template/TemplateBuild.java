// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A template build as pages and the API show it: its state, its log so far, and its error. */
public record TemplateBuild(String template, String state, String startedBy, Instant startedAt,
		@Nullable Instant finishedAt, List<String> log, @Nullable String error) {

	public boolean running() {
		return state.equals("running");
	}
}
