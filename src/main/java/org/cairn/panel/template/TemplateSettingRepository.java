// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.template;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface TemplateSettingRepository extends JpaRepository<TemplateSetting, String> {

	List<TemplateSetting> findByHiddenTrue();
}
