// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.fleet;

import org.cairn.panel.system.NotFoundException;

/** No node has this id: 404. */
public class NodeNotFoundException extends NotFoundException {

	NodeNotFoundException(long id) {
		super("There is no node " + id);
	}
}
