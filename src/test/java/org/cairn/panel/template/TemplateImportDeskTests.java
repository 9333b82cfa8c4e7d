// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.cairn.engine.VeEngine;
import org.cairn.panel.PanelTest;
import org.cairn.panel.account.AccountManagement;
import org.cairn.panel.account.NewUser;
import org.cairn.panel.account.Role;
import org.cairn.panel.audit.AuditFilter;
import org.cairn.panel.audit.AuditLog;
import org.cairn.panel.audit.Outcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/** An admin uploads a template's archive (streamed to disk), follows its import, and deletes it; audited. */
class TemplateImportDeskTests extends PanelTest {

	private static final String PASSWORD = "Template-Import-Secret-5";

	@Autowired
	AccountManagement accounts;

	@Autowired
	AuditLog audit;

	@Autowired
	VeEngine engine;

	@Autowired
	TemplateUploads uploads;

	@org.springframework.beans.factory.annotation.Value("${cairn.data-dir}")
	Path dataDir;

	private String follow(MockHttpSession admin, String name) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		String build = "";
		while (System.nanoTime() < deadline) {
			build = mvc.perform(get("/api/v1/admin/templates/" + name + "/build").session(admin)).andReturn().getResponse()
				.getContentAsString();
			if (!build.contains("\"state\":\"running\"")) {
				break;
			}
			Thread.sleep(200);
		}
		return build;
	}

	@Test
	void anAdminImportsAnArchiveAndDeletesTheTemplate() throws Exception {
		accounts.create(new NewUser("imp-admin", "imp-admin@example.com", Role.ADMIN, PASSWORD));
		accounts.create(new NewUser("imp-cust", "imp-cust@example.com", Role.CUSTOMER, PASSWORD));
		MockHttpSession admin = signIn("imp-admin", PASSWORD);
		Path rootfs = engine.templates().stream().filter(t -> t.name().equals("busybox")).findFirst().orElseThrow().rootfs();
		Path archive = Files.createTempFile("cairn-import-", ".tar.gz");
		try {
			Process tar = new ProcessBuilder("tar", "--numeric-owner", "-czf", archive.toString(), "-C", rootfs.toString(), ".")
				.inheritIO().start();
			assertThat(tar.waitFor()).isZero();
			byte[] body = Files.readAllBytes(archive);

			assertThat(mvc.perform(put("/api/v1/admin/templates/uploaded").session(signIn("imp-cust", PASSWORD))
				.with(csrf()).content(body)).andReturn().getResponse().getStatus()).isEqualTo(403);
			MvcResult started = mvc.perform(put("/api/v1/admin/templates/uploaded").session(admin).with(csrf())
				.contentType("application/octet-stream").content(body)).andReturn();
			assertThat(started.getResponse().getStatus()).as(started.getResponse().getContentAsString()).isEqualTo(202);
			assertThat(follow(admin, "uploaded")).contains("\"state\":\"succeeded\"").contains("found busybox");
			assertThat(mvc.perform(get("/admin/templates").session(admin)).andReturn().getResponse().getContentAsString())
				.contains("template-uploaded").contains("Imported from uploaded");
			MvcResult taken = mvc.perform(put("/api/v1/admin/templates/uploaded").session(admin).with(csrf())
				.content(body)).andReturn();
			assertThat(taken.getResponse().getStatus()).isEqualTo(409);

			// a broken archive: the import fails with the reason, and leaves no template
			mvc.perform(put("/api/v1/admin/templates/broken").session(admin).with(csrf()).content(new byte[] { 1, 2, 3 }))
				.andReturn();
			assertThat(follow(admin, "broken")).contains("\"state\":\"failed\"").contains("not a tar archive");
			assertThat(engine.templates()).extracting(t -> t.name()).doesNotContain("broken");
			MvcResult badName = mvc.perform(put("/api/v1/admin/templates/Bad_Name").session(admin).with(csrf()).content(body))
				.andReturn();
			assertThat(badName.getResponse().getStatus()).isEqualTo(400);
			assertThat(badName.getResponse().getContentAsString()).contains("\"field\":\"name\"");

			assertThat(mvc.perform(delete("/api/v1/admin/templates/uploaded").session(admin).with(csrf())).andReturn()
				.getResponse().getStatus()).isEqualTo(204);
			assertThat(engine.templates()).extracting(t -> t.name()).doesNotContain("uploaded");
			assertThat(audit.find(new AuditFilter("imp-admin", "TEMPLATE_IMPORT", Outcome.SUCCESS, null, null), 0)
				.getContent()).hasSize(1);
			assertThat(audit.find(new AuditFilter("imp-admin", "TEMPLATE_IMPORT", Outcome.FAILURE, null, null), 0)
				.getContent()).hasSize(1);
			assertThat(audit.find(new AuditFilter("imp-admin", "TEMPLATE_DELETE", Outcome.SUCCESS, null, null), 0)
				.getContent()).hasSize(1);
		}
		finally {
			Files.deleteIfExists(archive);
		}
	}

	@Test
	void anUploadTheLastRunLeftIsRemovedAtTheNextStart() throws Exception {
		Path folder = Files.createDirectories(dataDir.resolve("uploads"));
		Path leftover = Files.write(folder.resolve("crashed-123.upload"), new byte[4096]);
		Path other = Files.writeString(folder.resolve("notes.txt"), "not an upload");
		uploads.removeLeftovers(); // what the panel's start runs (ApplicationReadyEvent)
		assertThat(leftover).doesNotExist();
		assertThat(other).as("only uploads go").exists();
		Files.delete(other);
	}
}
