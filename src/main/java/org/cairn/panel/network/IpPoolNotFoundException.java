// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No pool has this id: 404. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class IpPoolNotFoundException extends RuntimeException {

	IpPoolNotFoundException(long id) {
		super("There is no pool " + id);
	}
}
