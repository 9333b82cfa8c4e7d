/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_CRIU_H
#define LAUNCHER_CRIU_H

#include "util.h"

#include <sys/types.h>

/* checkpoint: dumps the VE whose init is init into images, frozen through freeze_cgroup (its freezer cgroup
   directory, or NULL), then ends it.  */
int launcher_cmd_checkpoint (pid_t init, const char *images, const char *freeze_cgroup,
                             const char *const *cgroup_roots, int n_cgroup_roots);

/* Run once the restored VE's namespaces exist, before its processes and sockets come back: builds its network
   (pid: its first process's).  Returns 0, or -1 having filled err.  */
typedef int (*launcher_criu_hook) (pid_t pid, void *arg, launcher_error_t *err);

/* Restores the VE dumped in images with root as its root (mounted by the caller), its cgroups those of cgroup_roots
   ("CONTROLLER:PATH", "" the cgroup2 hierarchy; made by the engine); returns its init's pid, a child of the caller's,
   and sets *master to its console's new master (-1 when no process had it open).  */
pid_t launcher_criu_restore (const char *images, const char *root, const char *const *cgroup_roots, int n_cgroup_roots,
                             launcher_criu_hook hook, void *arg, int *master, launcher_error_t *err);

#endif
