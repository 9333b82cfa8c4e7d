// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import org.springframework.http.HttpStatus;

/** A pool whose addresses VEs hold cannot be deleted: 409. */
public class IpPoolInUseException extends IpPoolException {

	IpPoolInUseException(long used) {
		super("pool", used + " of the pool's addresses belong to VEs; destroy those first");
	}

	@Override
	public HttpStatus status() {
		return HttpStatus.CONFLICT;
	}
}
