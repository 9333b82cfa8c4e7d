// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A customer's plans and quota for billing systems: {@code /api/v1/admin/customers/{id}/holdings}. */
@RestController
class CustomerApiController {

	private final CustomerHoldings holdings;

	CustomerApiController(CustomerHoldings holdings) {
		this.holdings = holdings;
	}

	@GetMapping("/api/v1/admin/customers/{id}/holdings")
	Holdings get(@PathVariable long id) {
		return holdings.of(id);
	}

	@PutMapping("/api/v1/admin/customers/{id}/holdings")
	Holdings set(@PathVariable long id, @RequestBody HoldingsForm form) {
		return holdings.set(id, form);
	}
}
