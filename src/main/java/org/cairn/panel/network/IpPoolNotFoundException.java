// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.cairn.panel.system.NotFoundException;

/** No pool has this id: 404. */
public class IpPoolNotFoundException extends NotFoundException {

	IpPoolNotFoundException(long id) {
		super("There is no pool " + id);
	}
}
