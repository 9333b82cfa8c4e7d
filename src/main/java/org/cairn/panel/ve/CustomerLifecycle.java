// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.ArrayList;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeState;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.Role;
import org.cairn.panel.account.UserAccount;
import org.cairn.panel.audit.AuditedAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A customer's account and VEs together, as the admin and billing systems act on them: suspending a customer
 * ends their sessions and freezes their running VEs; unsuspending thaws exactly those; terminating destroys
 * every VE of theirs (their host names are typed to confirm) and leaves the account suspended.
 */
@Service
public class CustomerLifecycle {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CustomerLifecycle.class);

	private final AccountManagement accounts;

	private final VeRepository ves;

	private final VeManagement management;

	private final VeEngine engine;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	CustomerLifecycle(AccountManagement accounts, VeRepository ves, VeManagement management, @Lazy VeEngine engine,
			TransactionTemplate tx, ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.ves = ves;
		this.management = management;
		this.engine = engine;
		this.tx = tx;
		this.events = events;
	}

	/**
	 * Suspends the user; a customer's running VEs are frozen too. All or nothing: when a VE cannot be frozen (or
	 * the account cannot be suspended), the VEs frozen so far are thawed, the account stays as it was, and the
	 * error says which VE and why.
	 */
	public void suspend(long userId, String admin) {
		List<Ve> frozen = new ArrayList<>();
		try {
			for (Ve ve : ves.findByOwnerIdOrderById(userId)) {
				if (ve.getStatus() == Ve.Status.READY && state(ve) == VeState.RUNNING) {
					try {
						engine.suspend(ve.getEngineName());
					}
					catch (EngineException ex) {
						throw new VeException("ves", ve.getHostname() + " could not be frozen ("
								+ VeManagement.customerTerms(ex.getMessage(), ve) + "); nothing was suspended");
					}
					frozen.add(ve);
				}
			}
			accounts.suspend(userId, admin);
		}
		catch (RuntimeException ex) {
			for (Ve ve : frozen) {
				try {
					engine.resume(ve.getEngineName());
				}
				catch (EngineException thaw) {
					log.warn("Thawing {} after a failed suspension: {}", ve.getEngineName(), thaw.getMessage());
				}
			}
			events.publishEvent(AuditedAction.failure("CUSTOMER_SUSPEND", "user:" + userId, ex.getMessage()));
			throw ex;
		}
		tx.executeWithoutResult(status -> frozen
			.forEach(ve -> ves.findById(ve.getId()).ifPresent(v -> v.setSuspendedByAdmin(true))));
	}

	/** Unsuspends the user and thaws the VEs their suspension froze (not the ones they froze themselves). */
	public void unsuspend(long userId) {
		accounts.unsuspend(userId);
		for (Ve ve : ves.findByOwnerIdOrderById(userId)) {
			if (ve.isSuspendedByAdmin()) {
				if (state(ve) == VeState.SUSPENDED) {
					engine.resume(ve.getEngineName());
				}
				tx.executeWithoutResult(status -> ves.findById(ve.getId()).ifPresent(v -> v.setSuspendedByAdmin(false)));
			}
		}
	}

	/**
	 * Destroys every VE of the customer, once {@code confirmation} is their user name, and suspends the account.
	 * Returns the destroy jobs.
	 */
	public List<JobView> terminate(long userId, String admin, String confirmation) {
		UserAccount customer = accounts.get(userId);
		if (customer.getRole() != Role.CUSTOMER) {
			throw new VeException("role", customer.getUsername() + " is not a customer");
		}
		if (confirmation == null || !confirmation.strip().equals(customer.getUsername())) {
			throw new VeException("confirmation", "type the customer's user name, " + customer.getUsername()
					+ ", to confirm: every VE of theirs is destroyed");
		}
		if (!customer.isSuspended()) {
			suspend(userId, admin);
		}
		events.publishEvent(AuditedAction.success("CUSTOMER_TERMINATE", "user:" + customer.getUsername()));
		List<JobView> jobs = new ArrayList<>();
		for (Ve ve : ves.findByOwnerIdOrderById(userId)) {
			if (ve.getStatus() == Ve.Status.READY) {
				jobs.add(management.destroy(userId, ve.getId(), ve.getHostname()));
			}
		}
		return jobs;
	}

	private VeState state(Ve ve) {
		try {
			return engine.status(ve.getEngineName()).state();
		}
		catch (EngineException ex) {
			return VeState.STOPPED;
		}
	}
}
