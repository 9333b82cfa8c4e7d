// SPDX-License-Identifier: Apache-2.0
package org.cairn.panel.account;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

	Optional<UserAccount> findByUsernameIgnoreCase(String username);

	boolean existsByUsernameIgnoreCase(String username);

	boolean existsByRole(Role role);

	/** Users whose name or e-mail contains the text, optionally of one role. */
	@Query("""
			select u from UserAccount u
			where (:role is null or u.role = :role)
			  and (:text = '' or lower(u.username) like concat('%', :text, '%') or lower(u.email) like concat('%', :text, '%'))
			""")
	List<UserAccount> search(@Param("text") String lowercaseText, @Param("role") Role role, Sort sort);
}
