// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.criteria.Predicate;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Writes every {@link AuditedAction} to the audit table and the log, and reads the table back. */
@Service
public class AuditLog {

	private static final Log log = LogFactory.getLog(AuditLog.class);

	/** An action's name: an upper-case verb phrase of the modules' own, such as USER_SUSPEND. */
	private static final java.util.regex.Pattern ACTION_NAME = java.util.regex.Pattern.compile("^[A-Z][A-Z0-9_]{1,39}$");

	private final AuditRepository entries;

	AuditLog(AuditRepository entries) {
		this.entries = entries;
	}

	// its own transaction: a failed action that rolls back is still recorded as failed
	@EventListener
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	void on(AuditedAction action) {
		if (!ACTION_NAME.matcher(action.action()).matches()) {
			// a module's bug, never a user's input: kept, but under a name the log's readers can filter
			log.warn("audit action name refused: " + truncate(action.action(), 80));
			action = new AuditedAction(action.actor(), "INVALID_ACTION", action.target(), action.outcome(),
					truncate(action.action(), 80) + (action.detail() == null ? "" : ": " + action.detail()));
		}
		String actor = action.actor() != null ? action.actor() : currentUser();
		String address = sourceAddress();
		entries.save(new AuditEntry(Instant.now(), truncate(actor, 64), action.action(), truncate(action.target(), 255),
				address, action.outcome(), truncate(action.detail(), 1000)));
		log.info("audit actor=" + actor + " action=" + action.action() + " target=" + action.target() + " outcome="
				+ action.outcome() + " from=" + address + (action.detail() == null ? "" : " detail=" + action.detail()));
	}

	@Transactional(readOnly = true)
	public Page<AuditEntry> find(AuditFilter filter, int page) {
		Specification<AuditEntry> matching = (entry, query, cb) -> {
			List<Predicate> where = new ArrayList<>();
			if (!filter.actor().isEmpty()) {
				where.add(cb.equal(cb.lower(entry.get("actor")), filter.actor().toLowerCase()));
			}
			if (!filter.action().isEmpty()) {
				where.add(cb.equal(entry.get("action"), filter.action().toUpperCase()));
			}
			if (filter.outcome() != null) {
				where.add(cb.equal(entry.get("outcome"), filter.outcome()));
			}
			if (filter.from() != null) {
				where.add(cb.greaterThanOrEqualTo(entry.get("at"), filter.from()));
			}
			if (filter.until() != null) {
				where.add(cb.lessThan(entry.get("at"), filter.until()));
			}
			return cb.and(where.toArray(Predicate[]::new));
		};
		Sort newestFirst = Sort.by(Sort.Order.desc("at"), Sort.Order.desc("id"));
		return entries.findAll(matching, PageRequest.of(Math.max(page, 0), 50, newestFirst));
	}

	private static String currentUser() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication == null ? "anonymous" : authentication.getName();
	}

	private static @Nullable String sourceAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	private static @Nullable String truncate(@Nullable String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}
}
