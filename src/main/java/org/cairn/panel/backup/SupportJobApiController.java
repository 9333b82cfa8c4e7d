// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import org.cairn.panel.ve.JobView;
import org.cairn.panel.ve.VeManagement;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Any customer's job, for the support desk's pages to follow the restores they started. */
@RestController
class SupportJobApiController {

	private final VeManagement ves;

	SupportJobApiController(VeManagement ves) {
		this.ves = ves;
	}

	@GetMapping("/api/v1/support/jobs/{jobId}")
	JobView job(@PathVariable long jobId) {
		return ves.job(jobId);
	}
}
