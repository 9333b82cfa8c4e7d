// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own refusals (an unreadable body, a wrong method or media type, a bad path variable) every
 * {@link InputException} and every {@link NotFoundException} as RFC 9457 problems for the API's controllers; pages keep their HTML error pages.
 */
@RestControllerAdvice(annotations = RestController.class)
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

	/** No such thing (or none the caller may see): 404. */
	@ExceptionHandler(NotFoundException.class)
	ProblemDetail missing(NotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.NOT_FOUND, ex.getMessage());
	}

	/** A refusal of what was asked: 400 (or 409) naming the field at fault. */
	@ExceptionHandler(InputException.class)
	ProblemDetail refused(InputException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.field() + ": " + ex.getMessage());
		problem.setProperty("field", ex.field());
		problem.setProperty("errors", ex.problems());
		return problem;
	}

	/** Anything else: a 500 problem with a reference that is also in the log, never the exception's text. */
	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex, jakarta.servlet.http.HttpServletRequest request) {
		String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
		org.apache.commons.logging.LogFactory.getLog(ApiProblems.class)
			.error("error " + reference + " at " + request.getRequestURI(), ex);
		return ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.INTERNAL_SERVER_ERROR,
				"This was not your doing, and it has been logged (reference " + reference + ").");
	}
}
