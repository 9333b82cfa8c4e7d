// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.ve;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface JobRepository extends JpaRepository<Job, Long> {

	Optional<Job> findByIdAndOwnerId(long id, long ownerId);
}
