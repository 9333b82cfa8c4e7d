// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What the admin says of a template: hidden from customers (VEs made from it keep it). */
@Entity
@Table(name = "template_setting")
class TemplateSetting {

	@Id
	@Column(name = "template", length = 32)
	private String template;

	@Column(name = "hidden", nullable = false)
	private boolean hidden;

	protected TemplateSetting() {
	}

	TemplateSetting(String template, boolean hidden) {
		this.template = template;
		this.hidden = hidden;
	}

	String getTemplate() {
		return template;
	}

	boolean isHidden() {
		return hidden;
	}

	void setHidden(boolean hidden) {
		this.hidden = hidden;
	}
}
