// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.util.Map;
import java.util.UUID;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Every error a user meets, in place of the container's page: for the API (and clients that do not ask for
 * HTML) a problem document; for a browser a page in the panel's layout that says what happened in plain words
 * and leads back. An unexpected error gets a reference that is also in the log, never a stack trace.
 */
@Controller
@RequestMapping("${server.error.path:/error}")
class ErrorPages implements ErrorController {

	private static final Log log = LogFactory.getLog(ErrorPages.class);

	/** How long an API client waits before it asks again while the database is away. */
	static final String RETRY_AFTER_SECONDS = "30";

	@RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
	ModelAndView page(HttpServletRequest request) {
		HttpStatus status = status(request);
		String message = message(request, status);
		ModelAndView page = new ModelAndView("error", Map.of("status", status.value(), "heading", title(status),
				"problem", message), status);
		return page;
	}

	@RequestMapping
	ResponseEntity<ProblemDetail> problem(HttpServletRequest request) {
		HttpStatus status = status(request);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message(request, status));
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (path != null) {
			problem.setInstance(java.net.URI.create(String.valueOf(path).replaceAll("[^A-Za-z0-9/._~-]", "_")));
		}
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			answer.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
		return answer.body(problem);
	}

	private static HttpStatus status(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = code instanceof Integer number ? HttpStatus.resolve(number) : null;
		return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
	}

	static String title(HttpStatus status) {
		return switch (status) {
			case BAD_REQUEST -> "That request is not one Cairn understands";
			case UNAUTHORIZED -> "Sign in first";
			case FORBIDDEN -> "Not allowed";
			case NOT_FOUND -> "Not found";
			case METHOD_NOT_ALLOWED -> "Not that way";
			case CONTENT_TOO_LARGE -> "Too large";
			case UNSUPPORTED_MEDIA_TYPE -> "Not a format Cairn reads here";
			case SERVICE_UNAVAILABLE -> "Temporarily unavailable";
			default -> status.is5xxServerError() ? "Something went wrong on our side" : status.getReasonPhrase();
		};
	}

	/** What happened, in the user's terms; a 500's cause goes to the log under a reference the user can quote. */
	private static String message(HttpServletRequest request, HttpStatus status) {
		Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		return switch (status) {
			case BAD_REQUEST -> error instanceof MethodArgumentTypeMismatchException mismatch
					? mismatch.getName() + ": '" + shortened(String.valueOf(mismatch.getValue())) + "' is not "
							+ (Number.class.isAssignableFrom(wrap(mismatch.getRequiredType())) ? "a number" : "valid here")
					: "Something in this request is malformed; go back and try again.";
			case UNAUTHORIZED -> "Sign in first.";
			case FORBIDDEN -> "Your account may not open this.";
			case NOT_FOUND -> "There is nothing here: the address is wrong, or what it named is gone.";
			case METHOD_NOT_ALLOWED -> "This address does not take that kind of request.";
			case CONTENT_TOO_LARGE -> "What was sent is larger than Cairn takes here.";
			case UNSUPPORTED_MEDIA_TYPE -> "Send JSON (Content-Type: application/json) or the page's own form.";
			case SERVICE_UNAVAILABLE -> "Cairn cannot reach its database right now. Virtual Environments keep running."
					+ " Try again in a minute.";
			default -> {
				if (status.is5xxServerError()) {
					String reference = UUID.randomUUID().toString().substring(0, 8);
					log.error("error " + reference + " at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
							error instanceof Throwable cause ? cause : null);
					yield "This was not your doing, and it has been logged (reference " + reference + ").";
				}
				yield status.getReasonPhrase();
			}
		};
	}

	private static Class<?> wrap(Class<?> type) {
		if (type == null) {
			return Object.class;
		}
		return type == long.class || type == int.class ? Number.class : type;
	}

	private static String shortened(String value) {
		return value.length() <= 40 ? value : value.substring(0, 40) + "...";
	}
}
