// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.backup;

import java.util.List;

import org.springframework.data.repository.ListCrudRepository;

interface VeRestoreRepository extends ListCrudRepository<VeRestore, Long> {

	List<VeRestore> findTop50ByVeIdOrderByIdDesc(long veId);

	List<VeRestore> findTop50ByVeIdAndBySupportTrueOrderByIdDesc(long veId);
}
