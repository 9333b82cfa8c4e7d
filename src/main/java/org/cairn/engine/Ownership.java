// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;

/** Giving a file to a VE's root: host uid and gid {@code uidBase}. */
final class Ownership {

	private Ownership() {
	}

	static void chown(Path path, long uid) throws IOException {
		UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		view.setOwner(lookup.lookupPrincipalByName(Long.toString(uid)));
		view.setGroup(lookup.lookupPrincipalByGroupName(Long.toString(uid)));
	}
}
