// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Recognises "the database is not there" among the many exceptions that can carry it. */
final class DatabaseOutage {

	private DatabaseOutage() {
	}

	static boolean isCause(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof SQLTransientConnectionException || t instanceof CannotCreateTransactionException
					|| t instanceof DataAccessResourceFailureException
					|| t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
				return true;
			}
			// SQLSTATE class 08: connection exception
			if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return true;
			}
		}
		return false;
	}
}
