// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.customer;

import java.net.URI;
import java.util.List;

import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.CreatedUser;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.account.UserAccount;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customers, their plans and quota for billing systems: {@code /api/v1/admin/customers}. A customer made
 * without a password gets a one-time one, answered once, that they replace at first sign-in.
 */
@RestController
class CustomerApiController {

	/** A customer as billing systems see one. */
	record Customer(long id, String username, String email, boolean suspended) {

		static Customer of(UserAccount account) {
			return new Customer(account.getId(), account.getUsername(), account.getEmail(), account.isSuspended());
		}
	}

	/** A new customer; without a password, a one-time one is made. */
	record NewCustomer(@Nullable String username, @Nullable String email, @Nullable String password) {
	}

	/** The customer just made, with their one-time password (null when one was given). */
	record MadeCustomer(Customer customer, @Nullable String oneTimePassword) {
	}

	private final CustomerHoldings holdings;

	private final AccountManagement accounts;

	CustomerApiController(CustomerHoldings holdings, AccountManagement accounts) {
		this.holdings = holdings;
		this.accounts = accounts;
	}

	@GetMapping("/api/v1/admin/customers")
	List<Customer> list(@RequestParam(name = "q", required = false) String query) {
		return accounts.search(query, Role.CUSTOMER).stream().map(Customer::of).toList();
	}

	@PostMapping("/api/v1/admin/customers")
	ResponseEntity<MadeCustomer> create(@RequestBody(required = false) NewCustomer form) {
		NewCustomer request = form == null ? new NewCustomer(null, null, null) : form;
		CreatedUser made = accounts.create(new NewUser(request.username(), request.email(), Role.CUSTOMER,
				request.password()));
		return ResponseEntity.created(URI.create("/api/v1/admin/customers/" + made.account().getId() + "/holdings"))
			.body(new MadeCustomer(Customer.of(made.account()), made.oneTimePassword()));
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
