/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_H
#define LAUNCHER_H

#include "util.h"

#include <sys/types.h>

#define MAX_CGROUPS 16

struct start_opts
{
  const char *lower, *upper, *work, *merged, *idmapped, *hostname, *console, *state_dir;
  const char *disk_image, *disk_dir; /* optional: the VE's writable layer on its own ext4 image */
  const char *lxcfs;                 /* optional: lxcfs's mount, whose /proc files show the VE's own figures */
  const char *network_hook;          /* optional: run, when it exists, with the VE's first pid before it goes on */
  int hold;                          /* the VE's files only: its first process waits instead of running init */
  int run_tmpfs;                     /* /run and /run/lock as tmpfs, as systemd's container interface asks */
  int cgroup2;                       /* the VE's delegated cgroup2 subtree on /sys/fs/cgroup */
  int nesting;                       /* the VE may make user and network namespaces (containers inside it) */
  const char *cgroup_procs[MAX_CGROUPS];
  int n_cgroups;
  long uid_base, uid_count;
  long console_size; /* the cap of the console's log on the node */
  char **init_argv;
};

/* The whole environment of every process that enters a VE, whatever the caller's: nothing of the node's
   (the panel's database password, say) may reach a VE.  */
extern char *const launcher_ve_environment[];

/* start: the supervisor, which returns once the VE runs (printing its init's pid) and stays behind.  */
int launcher_cmd_start (struct start_opts *o);

/* The VE's first process, in its new namespaces: builds its root and execs its init; never returns.  */
void launcher_ve_first_process (struct start_opts *o, int sock) __attribute__ ((noreturn));

/* exec: a command in every namespace of a running VE.  */
int launcher_cmd_exec (pid_t target, int tty, const char *size_file, const char **cgroup_procs, int n_cgroups,
                       char *const *env, int n_env, int nesting, char **argv);

/* sethostname: the live host name of a running VE.  */
int launcher_cmd_sethostname (pid_t target, const char *name);

/* files: a host program over the VE's files only; trees ("NAME=DIR", node folders) appear in its view as /NAME.  */
int launcher_cmd_files (pid_t target, int in_ve, const char **cgroup_procs, int n_cgroups, char **trees, int n_trees,
                        char **argv);

/* A --tree argument: NAME=DIR, NAME of lowercase letters (not one of the view's own folders).  */
int launcher_valid_tree (const char *tree);

/* Joins the namespaces of the VE whose first process is target, in the order given, as its root.  */
int launcher_become_ve_root (pid_t target, const char *const *namespaces, int n, launcher_error_t *err);

#endif
