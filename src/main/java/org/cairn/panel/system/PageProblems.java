// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * What a page's controller did not handle itself, as a page in the panel's layout: a refusal (a backup the VE
 * does not have, a folder not in it) says what was wrong; a thing that is not there is a 404. The API's
 * controllers answer problem documents instead ({@link ApiProblems}, which comes first).
 */
@ControllerAdvice(annotations = Controller.class)
class PageProblems {

	@ExceptionHandler(NotFoundException.class)
	ModelAndView notFound(NotFoundException ex) {
		return page(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(InputException.class)
	ModelAndView refused(InputException ex) {
		return page(ex.status(), ex.field() + ": " + ex.getMessage());
	}

	private static ModelAndView page(HttpStatus status, String message) {
		return new ModelAndView("error", Map.of("status", status.value(), "heading", ErrorPages.title(status), "problem",
				message.length() > 300 ? message.substring(0, 300) + "..." : message), status);
	}
}
