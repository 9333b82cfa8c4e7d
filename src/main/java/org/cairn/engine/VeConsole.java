// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A terminal into a running VE: a program on a terminal of the VE's own devpts, as its root. What the terminal
 * shows comes out of {@link #output()}; keys go into {@link #input()}. Closing it ends the program.
 */
public interface VeConsole extends AutoCloseable {

	InputStream output();

	OutputStream input();

	/** Gives the terminal a new size; full-screen programs in it redraw. */
	void resize(int rows, int cols);

	boolean isOpen();

	@Override
	void close();
}
