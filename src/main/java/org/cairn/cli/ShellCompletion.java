// SPDX-License-Identifier: Apache-2.0
package org.cairn.cli;

import java.util.Iterator;
import java.util.List;

import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Bash and zsh completion of {@code cairn}, generated at build time from the same picocli model as {@code --help}:
 * verbs, options, the columns of {@code -o}, and the names of the VEs and templates on the engine's root (the
 * {@code --root} typed on the line, else $CAIRN_ROOT, else /var/lib/cairn), read when TAB is pressed.
 */
final class ShellCompletion {

	/** Stands in the generated script for the VE names, read from the root when completing. */
	static final String VES = "__cairn_ves__";

	static final String TEMPLATES = "__cairn_templates__";

	private static final String NAMES_FROM_ROOT = """

			# names on the engine's root, read when TAB is pressed: the --root on the line, $CAIRN_ROOT or /var/lib/cairn
			function _cairn_root() {
			  local i
			  for (( i=1; i<${#COMP_WORDS[@]}-1; i++ )); do
			    if [[ "${COMP_WORDS[i]}" == --root ]]; then echo "${COMP_WORDS[i+1]}"; return; fi
			    if [[ "${COMP_WORDS[i]}" == --root=* ]]; then echo "${COMP_WORDS[i]#--root=}"; return; fi
			  done
			  echo "${CAIRN_ROOT:-/var/lib/cairn}"
			}
			function _cairn_names() {
			  local dir
			  dir="$(_cairn_root)/$1"
			  [[ -d "$dir" ]] || return 0
			  find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\\n' 2>/dev/null | sort
			}
			""";

	private ShellCompletion() {
	}

	/** The bash script; zsh loads the same through bashcompinit (see {@link #zsh()}). */
	static String bash(CommandLine cairn) {
		String generated = AutoComplete.bash("cairn", cairn);
		String dynamic = generated.replace("(\"" + VES + "\")", "($(_cairn_names ves))")
			.replace("(\"" + TEMPLATES + "\")", "($(_cairn_names templates))");
		if (dynamic.contains(VES) || dynamic.contains(TEMPLATES)) {
			throw new IllegalStateException("a name list of the completion script was not replaced");
		}
		// a completion file is sourced, never run: no #! line
		dynamic = dynamic.startsWith("#!") ? dynamic.substring(dynamic.indexOf('\n') + 1) : dynamic;
		int end = dynamic.lastIndexOf("\n# Define a completion specification");
		return end < 0 ? dynamic + NAMES_FROM_ROOT : dynamic.substring(0, end) + NAMES_FROM_ROOT + dynamic.substring(end);
	}

	/** zsh's completion file: bash's script through zsh's bash compatibility. */
	static String zsh() {
		return """
				#compdef cairn
				# cairn's completion for zsh: the bash script, through zsh's bashcompinit. The script registers its
				# function for the next TABs; this first one calls it as the registration will.
				autoload -U +X bashcompinit && bashcompinit
				source /usr/share/bash-completion/completions/cairn
				_bash_complete -F _complete_cairn -o default
				""";
	}

	/** Completes a VE's name: {@code @Parameters(completionCandidates = ShellCompletion.VeNames.class)}. */
	static final class VeNames implements Iterable<String> {

		@Override
		public Iterator<String> iterator() {
			return List.of(VES).iterator();
		}
	}

	static final class TemplateNames implements Iterable<String> {

		@Override
		public Iterator<String> iterator() {
			return List.of(TEMPLATES).iterator();
		}
	}
}
