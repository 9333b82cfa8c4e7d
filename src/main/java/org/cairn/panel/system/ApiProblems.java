// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own refusals (an unreadable body, a wrong method or media type, a bad path variable) as RFC 9457
 * problems for the API's controllers; pages keep their HTML error pages.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiProblems extends ResponseEntityExceptionHandler {
}
