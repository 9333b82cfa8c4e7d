// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.cairn.panel.PanelTest;
import org.cairn.panel.TestDatabase;
import org.cairn.panel.database.ManagedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** While PostgreSQL is away the panel answers 503, and it recovers by itself when the server returns. */
@SpringBootTest(properties = { "cairn.admin.password=Outage-Test-Password-9", PanelTest.CONTAINER_SESSIONS })
@AutoConfigureMockMvc
class DatabaseOutageTests {

	private static final ManagedPostgres postgres = TestDatabase.startThrowAway("outage");

	@Autowired
	MockMvc mvc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry, postgres);
	}

	@Test
	void answers503WhileTheDatabaseIsDownAndRecovers() throws Exception {
		MvcResult login = mvc.perform(formLogin("/login").user("admin").password("Outage-Test-Password-9")).andReturn();
		MockHttpSession admin = (MockHttpSession) login.getRequest().getSession(false);
		assertThat(mvc.perform(get("/admin/users").session(admin)).andReturn().getResponse().getStatus()).isEqualTo(200);

		String token = mvc.perform(post("/api/v1/tokens").with(httpBasic("admin", "Outage-Test-Password-9"))
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"outage\"}")).andReturn().getResponse()
			.getContentAsString().replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
		assertThat(token).startsWith("cairn_");

		postgres.stop();
		try {
			// the API says the database is away, not that correct credentials are wrong
			for (MvcResult api : new MvcResult[] {
					mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andReturn(),
					mvc.perform(post("/api/v1/tokens").with(httpBasic("admin", "Outage-Test-Password-9"))
						.contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn() }) {
				assertThat(api.getResponse().getStatus()).isEqualTo(503);
				assertThat(api.getResponse().getContentType()).startsWith("application/problem+json");
				assertThat(api.getResponse().getHeader("Retry-After")).isEqualTo("30");
			}
			assertThat(mvc.perform(get("/admin/users").session(admin)).andReturn().getResponse().getStatus())
				.isEqualTo(503);
			MvcResult signIn = mvc.perform(formLogin("/login").user("admin").password("Outage-Test-Password-9"))
				.andReturn();
			assertThat(signIn.getResponse().getStatus()).isEqualTo(503);
		}
		finally {
			postgres.restart();
		}
		int status = 0;
		for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
			status = mvc.perform(get("/admin/users").session(admin)).andReturn().getResponse().getStatus();
			if (status != 200) {
				Thread.sleep(500);
			}
		}
		assertThat(status).isEqualTo(200);
	}
}
