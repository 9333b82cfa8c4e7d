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
  const char *images; /* restore: the VE's checkpoint, restored instead of a boot */
  const char *cgroup_roots[MAX_CGROUPS]; /* restore: "CONTROLLER:PATH", the VE's cgroup in each hierarchy ("" v2) */
  int n_cgroup_roots;
  char **init_argv;
};

/* The whole environment of every process that enters a VE, whatever the caller's: nothing of the node's
   (the panel's database password, say) may reach a VE.  */
extern char *const launcher_ve_environment[];

/* start: the supervisor, which returns once the VE runs (printing its init's pid) and stays behind.  */
int launcher_cmd_start (struct start_opts *o);

/* The supervisor's helpers for a start and a restore.  */
void launcher_write_state (const char *dir, const char *name, const char *content);
int launcher_idmapped_template (int userns, const char *lower, launcher_error_t *err);
int launcher_clone_disk (struct start_opts *o, launcher_error_t *err);
int launcher_run_network_hook (struct start_opts *o, const char *pidtext, launcher_error_t *err);
pid_t launcher_hold_network (pid_t pid, launcher_error_t *err);

/* The VE's root at o->merged: its layer over the template (both attached by the caller, the template id-mapped at
   o->idmapped, the disk at o->disk_dir); the current directory is left at o->merged.  */
int launcher_mount_root (struct start_opts *o, launcher_error_t *err);
int launcher_bring_loopback_up (launcher_error_t *err);

/* restore: the supervisor's first run of a checkpointed VE (o->images), in a mount namespace of its own.  */
pid_t launcher_restore_ve (struct start_opts *o, int *master, launcher_error_t *err);

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
