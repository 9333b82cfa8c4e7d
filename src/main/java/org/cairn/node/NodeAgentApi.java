// SPDX-License-Identifier: Apache-2.0
package org.cairn.node;

import java.time.Duration;
import java.util.List;

import org.cairn.engine.EngineException;
import org.cairn.engine.VeEngine;
import org.cairn.engine.VeStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The engine's facade as the node agent serves it, one path per operation. The first operations: the VEs' states,
 * start and stop; the rest of the facade follows the same shape.
 */
@RestController
class NodeAgentApi {

	private final VeEngine engine;

	NodeAgentApi(VeEngine engine) {
		this.engine = engine;
	}

	/** What JSON carries of a VE's state: the init's pid as a number or null. */
	record State(String name, String state, String template, String hostname, Long initPid, long uidBase,
			String operation, String stopReason) {

		static State of(VeStatus s) {
			return new State(s.name(), s.state().label(), s.template(), s.hostname(),
					s.initPid().isPresent() ? s.initPid().getAsLong() : null, s.uidBase(), s.operation(), s.stopReason());
		}
	}

	@GetMapping("/v1/ves")
	List<State> list() {
		return engine.list().stream().map(State::of).toList();
	}

	@GetMapping("/v1/ves/{name}")
	State status(@PathVariable String name) {
		return State.of(engine.status(name));
	}

	@PostMapping("/v1/ves/{name}/start")
	State start(@PathVariable String name) {
		return State.of(engine.start(name));
	}

	@PostMapping("/v1/ves/{name}/stop")
	State stop(@PathVariable String name, @RequestParam(defaultValue = "30") int timeout) {
		return State.of(engine.stop(name, Duration.ofSeconds(timeout)));
	}

	@ExceptionHandler(EngineException.class)
	ResponseEntity<ProblemDetail> refused(EngineException ex) {
		HttpStatus status = ex instanceof EngineException.NotFound ? HttpStatus.NOT_FOUND
				: ex instanceof EngineException.Busy ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, ex.getMessage()));
	}
}
