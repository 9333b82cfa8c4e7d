// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface VeRepository extends JpaRepository<Ve, Long> {

	List<Ve> findByOwnerIdOrderById(long ownerId);

	List<Ve> findByPlanIdOrderById(long planId);

	Optional<Ve> findByIdAndOwnerId(long id, long ownerId);

	List<Ve> findAllByOrderById();

	Optional<Ve> findByEngineName(String engineName);
}
