// SPDX-License-Identifier: Apache-2.0
package org.cairn.engine.cgroup;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuSetsTests {

	@Test
	void aVeSeesAsManyCpusAsItWasSoldAndVesSpreadOverTheNode() {
		assertThat(CpuSets.parse("0-3,6,8-9")).containsExactly(0, 1, 2, 3, 6, 8, 9);
		assertThat(CpuSets.forVe("web", 0, "0-7")).as("no limit: every CPU").isEqualTo("0-7");
		assertThat(CpuSets.forVe("web", 8, "0-7")).isEqualTo("0-7");
		assertThat(CpuSets.forVe("web", 12, "0-7")).isEqualTo("0-7");
		assertThat(CpuSets.parse(CpuSets.forVe("web", 2, "0-7"))).hasSize(2);
		assertThat(CpuSets.parse(CpuSets.forVe("web", 1.5, "0-7"))).as("a fraction rounds up").hasSize(2);
		assertThat(CpuSets.parse(CpuSets.forVe("web", 0.25, "0-7"))).hasSize(1);
		assertThat(CpuSets.parse(CpuSets.forVe("web", 3, "2,5,9,11"))).isSubsetOf(2, 5, 9, 11).hasSize(3);
		assertThat(CpuSets.forVe("web", 2, "0-7")).as("the same VE, the same CPUs").isEqualTo(CpuSets.forVe("web", 2, "0-7"));
		Set<String> firsts = new HashSet<>();
		for (int i = 0; i < 64; i++) {
			firsts.add(CpuSets.forVe("ve" + i, 1, "0-7"));
		}
		assertThat(firsts).as("one-CPU VEs do not all get CPU 0").hasSizeGreaterThan(4);
	}
}
