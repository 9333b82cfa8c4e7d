/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_SECURITY_H
#define LAUNCHER_SECURITY_H

#include "util.h"

/* Drops the capabilities a VE must never hold from the bounding set; clears inheritable and ambient. */
int launcher_drop_capabilities (launcher_error_t *err);

/* Installs the seccomp filter that refuses kernel-level operations (modules, kexec, clock, swap ...). */
int launcher_load_seccomp (launcher_error_t *err);

#endif
