// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

/** Recognises "the database is not there" among the many exceptions that can carry it. */
final class DatabaseOutage {

	private DatabaseOutage() {
	}

	/** True when the failure says outright that the connection to the database failed. */
	static boolean isCause(Throwable failure) {
		return anyInChain(failure, DatabaseOutage::isConnectionFailure);
	}

	/**
	 * True when the failure came from the database and the database does not answer now: a broken connection
	 * often surfaces as a secondary error (a failed rollback) that does not say so itself.
	 */
	static boolean isCause(Throwable failure, DataSource dataSource) {
		if (isCause(failure)) {
			return true;
		}
		boolean fromDatabase = anyInChain(failure, t -> t instanceof SQLException || t instanceof DataAccessException
				|| t instanceof TransactionException || t.getClass().getName().startsWith("org.hibernate."));
		return fromDatabase && !answers(dataSource);
	}

	private static boolean isConnectionFailure(Throwable t) {
		if (t instanceof SQLTransientConnectionException || t instanceof CannotCreateTransactionException
				|| t instanceof DataAccessResourceFailureException
				|| t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
			return true;
		}
		// the pool closed the request's connection under it (the server dropped it): Hikari says so without a
		// SQLSTATE, and a failed rollback on it hides the first error
		if (t instanceof SQLException sql && sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage())) {
			return true;
		}
		// SQLSTATE class 08: connection exception
		return t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
	}

	private static boolean answers(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static boolean anyInChain(Throwable failure, java.util.function.Predicate<Throwable> test) {
		return visit(failure, test, new IdentityHashMap<>());
	}

	private static boolean visit(Throwable t, java.util.function.Predicate<Throwable> test, Map<Throwable, Boolean> seen) {
		if (t == null || seen.put(t, Boolean.TRUE) != null) {
			return false;
		}
		if (test.test(t)) {
			return true;
		}
		for (Throwable suppressed : t.getSuppressed()) {
			if (visit(suppressed, test, seen)) {
				return true;
			}
		}
		return visit(t.getCause(), test, seen);
	}
}
