/* SPDX-License-Identifier: Apache-2.0 */
/* The supervisor's restore of a checkpointed VE: its root mounted as its first process mounts it at a start, in a
   mount namespace of the supervisor's own, then CRIU brings its processes back into new namespaces, as children of
   the supervisor's; the engine's network script builds its link again in between.  */
#define _GNU_SOURCE
#include "launcher.h"
#include "criu.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A user namespace with the VE's id map, for its id-mapped template: the VE's own namespace exists only once CRIU
   has made it, and a mount takes its id map from any namespace that has the same.  */
static int
userns_with_map (long base, long count, launcher_error_t *err)
{
  struct clone_args args;
  char path[64], map[64];
  int sync[2], fd = -1;
  pid_t child;

  if (UNLIKELY (pipe2 (sync, O_CLOEXEC) < 0))
    return launcher_fail (err, errno, "pipe");
  memset (&args, 0, sizeof (args));
  args.flags = CLONE_NEWUSER;
  args.exit_signal = SIGCHLD;
  child = syscall (SYS_clone3, &args, sizeof (args));
  if (child == 0)
    {
      char c;
      close (sync[1]);
      /* waits until the map is written and the namespace opened */
      if (read (sync[0], &c, 1) < 0)
        _exit (1);
      _exit (0);
    }
  close (sync[0]);
  if (UNLIKELY (child < 0))
    {
      close (sync[1]);
      return launcher_fail (err, errno, "clone a user namespace");
    }
  snprintf (map, sizeof (map), "0 %ld %ld\n", base, count);
  snprintf (path, sizeof (path), "/proc/%d/uid_map", child);
  if (launcher_write_file (path, map, err) == 0)
    {
      snprintf (path, sizeof (path), "/proc/%d/gid_map", child);
      if (launcher_write_file (path, map, err) == 0)
        {
          snprintf (path, sizeof (path), "/proc/%d/ns/user", child);
          fd = open (path, O_RDONLY | O_CLOEXEC);
          if (fd < 0)
            launcher_fail (err, errno, "open `%s`", path);
        }
    }
  close (sync[1]);
  waitpid (child, NULL, 0);
  return fd;
}

static int
attach (int tree, const char *where, const char *what, launcher_error_t *err)
{
  int ret = syscall (SYS_move_mount, tree, "", AT_FDCWD, where, MOVE_MOUNT_F_EMPTY_PATH);

  close (tree);
  return ret < 0 ? launcher_fail (err, errno, "attach %s at `%s`", what, where) : 0;
}

/* Before the restored VE's processes and sockets: its loopback (a start's first process brings it up itself),
   then the engine's script, as at a start.  */
static int
restore_network (pid_t pid, void *arg, launcher_error_t *err)
{
  struct start_opts *o = arg;
  char pidtext[32], path[64];
  int status;
  pid_t child;

  child = fork ();
  if (UNLIKELY (child < 0))
    return launcher_fail (err, errno, "fork");
  if (child == 0)
    {
      int ns;
      snprintf (path, sizeof (path), "/proc/%d/ns/net", pid);
      ns = open (path, O_RDONLY | O_CLOEXEC);
      _exit (ns >= 0 && setns (ns, CLONE_NEWNET) == 0 && launcher_bring_loopback_up (err) == 0 ? 0 : 1);
    }
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return launcher_fail (err, 0, "bring the restored VE's loopback up");
  snprintf (pidtext, sizeof (pidtext), "%d", pid);
  return launcher_run_network_hook (o, pidtext, err);
}

pid_t
launcher_restore_ve (struct start_opts *o, int *master, launcher_error_t *err)
{
  cleanup_close int userns = -1;
  int tree;
  pid_t pid;

  /* the root CRIU restores into is this process's alone; the restored VE gets a copy, the node never sees it */
  if (UNLIKELY (unshare (CLONE_NEWNS) < 0))
    return launcher_fail (err, errno, "unshare the mount namespace");
  if (UNLIKELY (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0))
    return launcher_fail (err, errno, "make the supervisor's mounts slaves");
  userns = userns_with_map (o->uid_base, o->uid_count, err);
  if (userns < 0)
    return -1;
  tree = launcher_idmapped_template (userns, o->lower, err);
  if (tree < 0 || attach (tree, o->idmapped, "the template", err) < 0)
    return -1;
  if (o->disk_image != NULL)
    {
      tree = launcher_clone_disk (o, err);
      if (tree < 0 || attach (tree, o->disk_dir, "the VE's disk", err) < 0)
        return -1;
    }
  if (launcher_mount_root (o, err) < 0)
    return -1;
  if (UNLIKELY (chdir ("/") < 0))
    return launcher_fail (err, errno, "chdir /");
  pid = launcher_criu_restore (o->images, o->merged, o->cgroup_roots, o->n_cgroup_roots, restore_network, o, master, err);
  /* the VE holds its own copies; the supervisor's go, so that a boot after a reboot inside starts from none */
  umount2 (o->merged, MNT_DETACH);
  umount2 (o->idmapped, MNT_DETACH);
  if (o->disk_dir != NULL)
    umount2 (o->disk_dir, MNT_DETACH);
  return pid;
}
