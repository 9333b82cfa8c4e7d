// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import org.cairn.panel.audit.AuditedAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.stereotype.Service;

/**
 * A user's own signed-in sessions: listed, and ended one by one or all but the current one. Pages name a session
 * by a hash of its id, never the id itself (which would be a credential).
 */
@Service
public class AccountSessions {

	/** A session as the user's page shows it. */
	public record SessionView(String handle, Instant lastRequest, boolean current) {
	}

	private final SessionRegistry sessions;

	private final ApplicationEventPublisher events;

	AccountSessions(SessionRegistry sessions, ApplicationEventPublisher events) {
		this.sessions = sessions;
		this.events = events;
	}

	public List<SessionView> of(SignedInUser user, String currentSessionId) {
		return live(user).stream()
			.map(s -> new SessionView(handle(s.getSessionId()), s.getLastRequest().toInstant(),
					s.getSessionId().equals(currentSessionId)))
			.sorted(Comparator.comparing(SessionView::current).reversed()
				.thenComparing(Comparator.comparing(SessionView::lastRequest).reversed()))
			.toList();
	}

	/** Ends one of the user's sessions; false when the user has none by that handle. */
	public boolean end(SignedInUser user, String handle) {
		for (SessionInformation session : live(user)) {
			if (handle(session.getSessionId()).equals(handle)) {
				session.expireNow();
				events.publishEvent(AuditedAction.success("SESSION_END", "user:" + user.getUsername()));
				return true;
			}
		}
		return false;
	}

	/** Ends every session of the user but the current one; returns how many ended. */
	public int endOthers(SignedInUser user, String currentSessionId) {
		int ended = 0;
		for (SessionInformation session : live(user)) {
			if (!session.getSessionId().equals(currentSessionId)) {
				session.expireNow();
				ended++;
			}
		}
		events.publishEvent(AuditedAction.success("SESSION_END_OTHERS", "user:" + user.getUsername()));
		return ended;
	}

	private List<SessionInformation> live(SignedInUser user) {
		return sessions.getAllSessions(user, false);
	}

	static String handle(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
