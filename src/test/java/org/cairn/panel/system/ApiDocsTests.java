// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.system;

import org.cairn.panel.PanelTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** The REST API is described by OpenAPI at /api/docs, for anyone writing a client. */
class ApiDocsTests extends PanelTest {

	@Test
	void theApiIsDescribedAtApiDocs() throws Exception {
		MvcResult docs = mvc.perform(get("/api/docs")).andReturn();
		assertThat(docs.getResponse().getStatus()).isEqualTo(200);
		assertThat(docs.getResponse().getContentAsString()).contains("\"openapi\":\"3.")
			.contains("/api/v1/ves").contains("/api/v1/jobs/{jobId}").contains("/api/v1/admin/plans")
			.contains("/api/v1/tokens").contains("/api/v1/admin/ip-pools").doesNotContain("/admin/users/{id}/plans\"");
	}
}
