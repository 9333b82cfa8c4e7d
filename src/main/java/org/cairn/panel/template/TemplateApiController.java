// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.net.URI;
import java.util.List;

import org.cairn.panel.account.SignedInUser;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Templates through the admin API: list, build (202, then follow the build). */
@RestController
class TemplateApiController {

	private final TemplateBuilds builds;

	private final TemplateUploads uploads;

	private final TemplateOffers offers;

	TemplateApiController(TemplateBuilds builds, TemplateUploads uploads, TemplateOffers offers) {
		this.builds = builds;
		this.uploads = uploads;
		this.offers = offers;
	}

	/** Hidden from customers' choices (VEs made from it keep it), or offered again. */
	@PostMapping("/api/v1/admin/templates/{template}/{visibility:hide|show}")
	ResponseEntity<Void> visibility(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name,
			@PathVariable("visibility") String visibility) {
		offers.setHidden(name, visibility.equals("hide"), user.getUsername());
		return ResponseEntity.noContent().build();
	}

	/** The request's body is the archive, streamed to disk; 202, then follow the import as a build. */
	@org.springframework.web.bind.annotation.PutMapping("/api/v1/admin/templates/{template}")
	ResponseEntity<TemplateBuild> importArchive(@AuthenticationPrincipal SignedInUser user,
			@PathVariable("template") String name, jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
		uploads.check(name);
		return ResponseEntity.accepted().location(URI.create("/api/v1/admin/templates/" + name + "/build"))
			.body(uploads.receive(name, request.getInputStream(), user.getUsername()));
	}

	@org.springframework.web.bind.annotation.DeleteMapping("/api/v1/admin/templates/{template}")
	ResponseEntity<Void> delete(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name) {
		builds.delete(name, user.getUsername());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/v1/admin/templates")
	List<TemplateView> list() {
		return builds.all();
	}

	@PostMapping("/api/v1/admin/templates/{template}/build")
	ResponseEntity<TemplateBuild> start(@AuthenticationPrincipal SignedInUser user, @PathVariable("template") String name,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String node) {
		TemplateBuild build = builds.start(name, node, user.getUsername());
		return ResponseEntity.accepted().location(URI.create("/api/v1/admin/templates/" + name + "/build"
				+ (node == null || node.isBlank() ? "" : "?node=" + java.net.URLEncoder.encode(node,
						java.nio.charset.StandardCharsets.UTF_8))))
			.body(build);
	}

	/** The last build of the template on {@code node} (none: the panel's own machine). */
	@GetMapping("/api/v1/admin/templates/{template}/build")
	TemplateBuild build(@PathVariable("template") String name,
			@org.springframework.web.bind.annotation.RequestParam(required = false) String node) {
		return builds.build(name, node);
	}
}
