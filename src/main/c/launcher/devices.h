/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_DEVICES_H
#define LAUNCHER_DEVICES_H

#include "util.h"

/* Attaches to the cgroup v2 directory a device program that allows what the rules allow ("c 1:3 rwm") and
   nothing else.  */
int launcher_limit_devices (const char *cgroup, char *const *rules, int n_rules, launcher_error_t *err);

#endif
