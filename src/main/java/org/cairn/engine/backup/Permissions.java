// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.backup;

/** restic's file modes (Go's os.FileMode) as ls shows permissions. */
final class Permissions {

	private static final long SETUID = 1L << 23;

	private static final long SETGID = 1L << 22;

	private static final long STICKY = 1L << 20;

	private Permissions() {
	}

	static String of(long mode) {
		char[] text = "rwxrwxrwx".toCharArray();
		for (int bit = 0; bit < 9; bit++) {
			if ((mode & (1L << (8 - bit))) == 0) {
				text[bit] = '-';
			}
		}
		if ((mode & SETUID) != 0) {
			text[2] = text[2] == 'x' ? 's' : 'S';
		}
		if ((mode & SETGID) != 0) {
			text[5] = text[5] == 'x' ? 's' : 'S';
		}
		if ((mode & STICKY) != 0) {
			text[8] = text[8] == 'x' ? 't' : 'T';
		}
		return new String(text);
	}
}
