/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_CGROUP_H
#define LAUNCHER_CGROUP_H

#include "util.h"

/* Empties a VE's delegated cgroup2 subtree of what its init made there (systemd's slices and scopes, the
   controllers it enabled below) so that a new init can be born in it; the directory itself stays.  */
int launcher_cgroup_clear (const char *dir, launcher_error_t *err);

/* launcher_cgroup_clear, then the directory itself when nothing is left in it.  */
int launcher_cgroup_remove (const char *dir, launcher_error_t *err);

#endif
