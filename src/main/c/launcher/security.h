/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_SECURITY_H
#define LAUNCHER_SECURITY_H

#include "util.h"

/* Drops the capabilities a VE must never hold from the bounding set; clears inheritable and ambient. */
int launcher_drop_capabilities (launcher_error_t *err);

/* Installs the seccomp filter that refuses kernel-level operations (modules, kexec, clock, swap ...). */
/* nesting: the VE may make user and network namespaces of its own (Podman, Docker inside it) */
int launcher_load_seccomp (int nesting, launcher_error_t *err);

#endif
