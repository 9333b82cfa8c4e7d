// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Sending any signal to a host pid, which {@link ProcessHandle} cannot (it knows TERM and KILL only).
 * Calls libc's kill(2) through the FFM API.
 */
final class Signals {

	private static final MethodHandle KILL = Linker.nativeLinker()
		.downcallHandle(Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
				FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

	private Signals() {
	}

	/** @return false when the process does not exist */
	static boolean send(long pid, int signal) {
		try {
			return (int) KILL.invokeExact((int) pid, signal) == 0;
		}
		catch (Throwable ex) {
			throw new EngineException("kill(" + pid + ", " + signal + ") failed: " + ex.getMessage(), ex);
		}
	}
}
