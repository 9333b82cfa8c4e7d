// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.network;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node's address pools for billing systems: {@code /api/v1/admin/ip-pools}. */
@RestController
class IpPoolApiController {

	private final IpPools pools;

	IpPoolApiController(IpPools pools) {
		this.pools = pools;
	}

	@GetMapping("/api/v1/admin/ip-pools")
	List<IpPool> list() {
		return pools.all();
	}

	@PostMapping("/api/v1/admin/ip-pools")
	ResponseEntity<IpPool> create(@RequestBody IpPoolForm form) {
		IpPool pool = pools.create(form);
		return ResponseEntity.created(URI.create("/api/v1/admin/ip-pools/" + pool.id())).body(pool);
	}

	/** {@code {"ptrCheck":false}}: PTR names of the pool's addresses need not resolve back. */
	record PtrCheck(Boolean ptrCheck) {
	}

	@PutMapping("/api/v1/admin/ip-pools/{poolId}/ptr-check")
	IpPool ptrCheck(@PathVariable long poolId, @RequestBody PtrCheck body) {
		if (body.ptrCheck() == null) {
			throw new IpPoolException("ptrCheck", "true or false");
		}
		return pools.setPtrCheck(poolId, body.ptrCheck());
	}

	@DeleteMapping("/api/v1/admin/ip-pools/{poolId}")
	ResponseEntity<Void> delete(@PathVariable long poolId) {
		pools.delete(poolId);
		return ResponseEntity.noContent().build();
	}
}
