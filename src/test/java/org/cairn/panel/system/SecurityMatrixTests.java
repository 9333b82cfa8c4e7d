// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Every page and API path against every kind of visitor. Add a row here with every new path:
 * {@link #everyMappedPathIsInTheMatrix()} fails until you do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixTests extends PanelTest {

	private static final String PASSWORD = "Matrix-Test-Password-1";

	/** Expected outcome: a status, or "login" for a redirect to the sign-in form. */
	private static final String LOGIN = "login";

	private static final String ANON = "anonymous";

	@Autowired
	AccountManagement accounts;

	@Autowired
	@org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private final Map<String, MockHttpSession> sessions = new java.util.HashMap<>();

	private long someUserId;

	private long somePlanId;

	@Autowired
	org.cairn.panel.plan.PlanCatalog plans;

	@BeforeAll
	void createUsers() throws Exception {
		for (Role role : Role.values()) {
			String name = "matrix-" + role.name().toLowerCase();
			accounts.create(new NewUser(name, name + "@example.com", role, PASSWORD));
			sessions.put(role.name(), signIn(name, PASSWORD));
		}
		somePlanId = plans.create(new org.cairn.panel.plan.PlanForm("Matrix plan", "512M", "0", "1", "", "100", "64", "",
				"", "", "", "1", "0", "1", "", "0", "", "")).getId();
		someUserId = accounts.create(new NewUser("matrix-target", "t@example.com", Role.CUSTOMER, PASSWORD))
			.account()
			.getId();
	}

	/** method, path, then the outcome for anonymous, CUSTOMER, SUPPORT, ADMIN. */
	static Stream<Arguments> matrix() {
		List<Arguments> rows = new ArrayList<>();
		row(rows, "GET", "/login", "200", "200", "200", "200");
		row(rows, "GET", "/", LOGIN, "302", "302", "302");
		row(rows, "GET", "/customer", LOGIN, "200", "403", "403");
		row(rows, "GET", "/support", LOGIN, "403", "200", "200");
		row(rows, "GET", "/admin", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/users", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/users/new", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/users/{id}", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/audit", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/plans", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/plans/new", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/plans/{planId}", LOGIN, "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/plans", "401", "403", "403", "200");
		row(rows, "GET", "/admin/users/{id}/plans", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/ip-pools", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/node", LOGIN, "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/node", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/ves", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/ip-pools", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/nodes", "401", "403", "403", "200");
		row(rows, "GET", "/admin/nodes", LOGIN, "403", "403", "200");
		row(rows, "GET", "/customer/ves/new", LOGIN, "200", "403", "403");
		row(rows, "GET", "/account/tokens", LOGIN, "200", "200", "200");
		// Basic or a token only: a session is no credential there
		row(rows, "GET", "/api/v1/tokens", "401", "401", "401", "401");
		row(rows, "GET", "/customer/ves/{veId}", LOGIN, "404", "403", "403");
		row(rows, "GET", "/api/v1/ves", "401", "200", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/usage", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/jobs/{jobId}", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/admin/customers/{id}/holdings", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/plans/{planId}", "401", "403", "403", "200");
		row(rows, "GET", "/account/password", LOGIN, "200", "200", "200");
		row(rows, "GET", "/account/sessions", LOGIN, "200", "200", "200");
		row(rows, "POST", "/account/sessions/{handle}/end", LOGIN, "404", "404", "404");
		row(rows, "POST", "/account/sessions/end-others", LOGIN, "302", "302", "302");
		row(rows, "GET", "/api/v1/me", "401", "200", "200", "200");
		// Basic or a token, as /api/v1/tokens
		row(rows, "PUT", "/api/v1/me/password", "401", "401", "401", "401");
		row(rows, "GET", "/actuator/health", "200", "200", "200", "200");
		row(rows, "GET", "/api/docs", "200", "200", "200", "200");
		row(rows, "GET", "/api/docs.yaml", "200", "200", "200", "200");
		row(rows, "GET", "/actuator/info", LOGIN, "403", "403", "200");
		// state-changing requests carry a valid CSRF token here; CsrfTests checks the token itself
		row(rows, "POST", "/admin/users/new", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/users/{id}", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/users/{id}/suspend", LOGIN, "403", "403", "302");
		row(rows, "POST", "/admin/users/{id}/unsuspend", LOGIN, "403", "403", "302");
		row(rows, "POST", "/admin/users/{id}/reset-password", LOGIN, "403", "403", "302");
		row(rows, "POST", "/account/password", LOGIN, "200", "200", "200");
		// an empty form or body: refused by name (200 with the form again, 400 from the API)
		row(rows, "POST", "/admin/plans/new", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/plans/{planId}", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/plans/{planId}/retire", LOGIN, "403", "403", "302");
		row(rows, "POST", "/admin/plans/{planId}/unretire", LOGIN, "403", "403", "302");
		row(rows, "POST", "/api/v1/admin/plans", "401", "403", "403", "400");
		row(rows, "POST", "/admin/users/{id}/plans", LOGIN, "403", "403", "302");
		row(rows, "POST", "/customer/ves/new", LOGIN, "200", "403", "403");
		row(rows, "POST", "/account/tokens", LOGIN, "302", "302", "302");
		row(rows, "POST", "/account/tokens/{tokenId}/revoke", LOGIN, "404", "404", "404");
		row(rows, "POST", "/api/v1/tokens", "401", "401", "401", "401");
		row(rows, "DELETE", "/api/v1/tokens/{tokenId}", "401", "401", "401", "401");
		row(rows, "POST", "/customer/ves/{veId}/actions/{action}", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/destroy", LOGIN, "404", "403", "403");
		row(rows, "POST", "/api/v1/ves", "401", "400", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/actions/{action}", "401", "404", "403", "403");
		row(rows, "DELETE", "/api/v1/ves/{veId}", "401", "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/reinstall", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/root-access", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/hostname", LOGIN, "404", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/actions/reinstall", "401", "404", "403", "403");
		row(rows, "PUT", "/api/v1/ves/{veId}/root-access", "401", "404", "403", "403");
		row(rows, "PUT", "/api/v1/ves/{veId}/hostname", "401", "404", "403", "403");
		row(rows, "GET", "/customer/ves/{veId}/backups", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/backups", LOGIN, "404", "403", "403");
		row(rows, "GET", "/customer/ves/{veId}/backups/{snapshot}", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/backups/{snapshot}/restore", LOGIN, "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/backups", "401", "404", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/backups", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/backups/{snapshot}/files", "401", "404", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/backups/{snapshot}/restore", "401", "404", "403", "403");
		row(rows, "GET", "/customer/ves/{veId}/snapshots", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/snapshots", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/snapshots/{name}/rollback", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/snapshots/{name}/delete", LOGIN, "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/snapshots", "401", "404", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/snapshots", "401", "404", "403", "403");
		row(rows, "POST", "/api/v1/ves/{veId}/snapshots/{name}/rollback", "401", "404", "403", "403");
		row(rows, "DELETE", "/api/v1/ves/{veId}/snapshots/{name}", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/restores", "401", "404", "403", "403");
		row(rows, "GET", "/customer/ves/{veId}/firewall", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/firewall/settings", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/firewall/rules", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/firewall/rules/{number}/delete", LOGIN, "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/firewall", "401", "404", "403", "403");
		row(rows, "PUT", "/api/v1/ves/{veId}/firewall", "401", "404", "403", "403");
		row(rows, "GET", "/admin/firewall", LOGIN, "403", "403", "200");
		// an empty rule is refused on the page (a message), a rule number that is not there changes nothing
		row(rows, "POST", "/admin/firewall/rules", LOGIN, "403", "403", "302");
		row(rows, "POST", "/admin/firewall/rules/{number}/delete", LOGIN, "403", "403", "302");
		row(rows, "GET", "/api/v1/admin/firewall", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/ves/{veId}/node-rules", "401", "403", "403", "404");
		row(rows, "PUT", "/api/v1/admin/ves/{veId}/node-rules", "401", "403", "403", "400");
		row(rows, "PUT", "/api/v1/admin/firewall", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/ves/{veId}/addresses", "401", "404", "403", "403");
		row(rows, "DELETE", "/api/v1/ves/{veId}/addresses/{address}", "401", "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/addresses", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/addresses/delete", LOGIN, "404", "403", "403");
		row(rows, "GET", "/customer/ves/{veId}/ptr", LOGIN, "404", "403", "403");
		row(rows, "POST", "/customer/ves/{veId}/ptr", LOGIN, "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/ptr", "401", "404", "403", "403");
		row(rows, "PUT", "/api/v1/ves/{veId}/ptr/{address}", "401", "404", "403", "403");
		row(rows, "DELETE", "/api/v1/ves/{veId}/ptr/{address}", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/ves/{veId}/traffic", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/admin/ves/{veId}/traffic", "401", "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/ves/{veId}/traffic", "401", "403", "403", "400");
		row(rows, "GET", "/support/ves/{veId}", LOGIN, "403", "404", "404");
		row(rows, "GET", "/support/ves/{veId}/backups/{snapshot}", LOGIN, "403", "404", "404");
		row(rows, "POST", "/support/ves/{veId}/backups/{snapshot}/restore", LOGIN, "403", "404", "404");
		row(rows, "GET", "/api/v1/support/jobs/{jobId}", "401", "403", "404", "404");
		row(rows, "GET", "/api/v1/admin/customers", "401", "403", "403", "200");
		row(rows, "POST", "/api/v1/admin/customers", "401", "403", "403", "400");
		row(rows, "GET", "/customer/ves/{veId}/console", LOGIN, "404", "403", "403");
		row(rows, "GET", "/admin/ves/{veId}/console", LOGIN, "403", "403", "404");
		row(rows, "GET", "/api/v1/ves/{veId}/usage/history", "401", "404", "403", "403");
		row(rows, "GET", "/api/v1/admin/node/usage/history", "401", "403", "403", "200");
		row(rows, "GET", "/actuator/prometheus", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/templates", LOGIN, "403", "403", "200");
		row(rows, "GET", "/admin/templates/{template}/build", LOGIN, "403", "403", "404");
		row(rows, "GET", "/api/v1/admin/templates", "401", "403", "403", "200");
		row(rows, "GET", "/api/v1/admin/templates/{template}/build", "401", "403", "403", "404");
		row(rows, "POST", "/admin/templates/{template}/build", LOGIN, "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/templates/{template}/build", "401", "403", "403", "404");
		// an empty body is no archive (400); no template of that name to delete (404, and a message on the page)
		row(rows, "PUT", "/api/v1/admin/templates/{template}", "401", "403", "403", "400");
		row(rows, "DELETE", "/api/v1/admin/templates/{template}", "401", "403", "403", "404");
		row(rows, "POST", "/admin/templates/{template}/delete", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/templates/{template}/{visibility:hide|show}", LOGIN, "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/templates/{template}/{visibility:hide|show}", "401", "403", "403", "404");
		row(rows, "PUT", "/api/v1/admin/customers/{id}/holdings", "401", "403", "403", "400");
		row(rows, "POST", "/admin/users/{id}/terminate", LOGIN, "403", "403", "302");
		row(rows, "POST", "/admin/ip-pools", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/ip-pools/{poolId}/delete", LOGIN, "403", "403", "302");
		row(rows, "POST", "/api/v1/admin/ip-pools", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/admin/nodes", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/admin/nodes/{id}/state", "401", "403", "403", "400");
		row(rows, "DELETE", "/api/v1/admin/nodes/{id}", "401", "403", "403", "404");
		row(rows, "POST", "/admin/nodes", LOGIN, "403", "403", "200");
		row(rows, "POST", "/admin/nodes/{id}/state", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/nodes/{id}/remove", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/nodes/{id}/rotate", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/nodes/{id}/group", LOGIN, "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/nodes/{id}/group", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/admin/nodes/{id}/rotate", "401", "403", "403", "404");
		// moving a VE to another node: admins only
		row(rows, "POST", "/api/v1/admin/ves/{veId}/migrate", "401", "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/nodes/{id}/checkpoint-all", "401", "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/nodes/{id}/restore-all", "401", "403", "403", "404");
		row(rows, "POST", "/admin/nodes/{id}/checkpoint-all", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/nodes/{id}/restore-all", LOGIN, "403", "403", "404");
		row(rows, "POST", "/admin/ves/{veId}/migrate", LOGIN, "403", "403", "404");
		row(rows, "GET", "/api/v1/admin/jobs/{jobId}", "401", "403", "403", "404");
		// a node's join: its token, in the body, is its only credential; without one, a bad request for anyone
		row(rows, "POST", "/api/v1/fleet/join", "400", "400", "400", "400");
		row(rows, "DELETE", "/api/v1/admin/ip-pools/{poolId}", "401", "403", "403", "404");
		row(rows, "PUT", "/api/v1/admin/ip-pools/{poolId}/ptr-check", "401", "403", "403", "400");
		row(rows, "POST", "/admin/ip-pools/{poolId}/ptr-check", LOGIN, "403", "403", "404");
		row(rows, "POST", "/api/v1/admin/customers/{id}/terminate", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/admin/customers/{id}/suspend", "401", "403", "403", "204");
		row(rows, "POST", "/api/v1/admin/customers/{id}/unsuspend", "401", "403", "403", "204");
		row(rows, "PUT", "/api/v1/admin/plans/{planId}", "401", "403", "403", "400");
		row(rows, "POST", "/api/v1/admin/plans/{planId}/retire", "401", "403", "403", "200");
		// last: the admin's deletes remove the plan
		row(rows, "POST", "/admin/plans/{planId}/delete", LOGIN, "403", "403", "302");
		row(rows, "DELETE", "/api/v1/admin/plans/{planId}", "401", "403", "403", "404");
		return rows.stream();
	}

	private static void row(List<Arguments> rows, String method, String path, String... outcomes) {
		String[] who = { ANON, "CUSTOMER", "SUPPORT", "ADMIN" };
		for (int i = 0; i < who.length; i++) {
			rows.add(Arguments.of(method, path, who[i], outcomes[i]));
		}
	}

	@ParameterizedTest(name = "{2} {0} {1} -> {3}")
	@MethodSource("matrix")
	void visitorGetsExpectedAnswer(String method, String path, String who, String expected) throws Exception {
		String url = path.replace("{id}", String.valueOf(someUserId)).replace("{planId}", String.valueOf(somePlanId))
			.replace("{veId}", "999999").replace("{jobId}", "999999").replace("{tokenId}", "999999").replace("{poolId}", "999999").replace("{action}", "start").replace("{snapshot}", "abcdef12").replace("{name}", "before-upgrade").replace("{visibility:hide|show}", "hide")
			.replace("{template}", "no-such-template")
			.replace("{handle}", "0000000000000000").replace("{address}", "192.0.2.9").replace("{number}", "999999");
		var builder = request(HttpMethod.valueOf(method), url).with(csrf());
		if (!who.equals(ANON)) {
			builder.session(sessions.get(who));
		}
		MvcResult result = mvc.perform(builder).andReturn();
		int status = result.getResponse().getStatus();
		if (expected.equals(LOGIN)) {
			assertThat(status).as(who + " " + method + " " + url).isEqualTo(302);
			assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login");
		}
		else {
			assertThat(status).as(who + " " + method + " " + url).isEqualTo(Integer.parseInt(expected));
		}
		if (url.startsWith("/api/") && status >= 400) {
			assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
		}
	}

	@Test
	void everyMappedPathIsInTheMatrix() {
		Set<String> covered = new TreeSet<>();
		matrix().forEach(args -> covered.add(args.get()[0] + " " + args.get()[1]));
		Set<String> mapped = new TreeSet<>();
		for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
			Set<String> methods = info.getMethodsCondition().getMethods().isEmpty() ? Set.of("GET")
					: info.getMethodsCondition().getMethods().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet());
			for (String pattern : info.getPatternValues()) {
				if (pattern.equals("/error")) {
					continue;
				}
				methods.forEach(m -> mapped.add(m + " " + pattern));
			}
		}
		assertThat(covered).containsAll(mapped);
	}
}
