// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.plan;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface PlanRepository extends JpaRepository<Plan, Long> {

	boolean existsByNameIgnoreCase(String name);

	boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

	List<Plan> findAllByOrderByRetiredAscNameAsc();

	@Query(value = "select count(*) from customer_plan where plan_id = ?1", nativeQuery = true)
	long holders(long planId);

	@Query(value = "select count(*) from ve where plan_id = ?1", nativeQuery = true)
	long ves(long planId);
}
