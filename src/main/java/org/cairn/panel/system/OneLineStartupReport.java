// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * How a start that cannot go on is told to the admin: one line on standard error, {@code cairn: WHAT; ACTION},
 * instead of Spring's framed report or a stack trace (application.yml silences Spring's own reporter).
 */
public final class OneLineStartupReport implements FailureAnalysisReporter {

	@Override
	public void report(FailureAnalysis analysis) {
		String action = analysis.getAction() == null || analysis.getAction().isBlank() ? "" : "; " + analysis.getAction();
		System.err.println("cairn: " + analysis.getDescription().strip() + action.strip().replaceAll("\\s+", " "));
	}

	/** A {@link StartupRefusal} says all there is to say itself. */
	public static final class RefusalAnalyzer extends AbstractFailureAnalyzer<StartupRefusal> {

		@Override
		protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusal cause) {
			return new FailureAnalysis(cause.getMessage(), "", cause);
		}
	}
}
