/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "launcher.h"
#include "disk.h"
#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/mount.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* What a program run over a VE's files gets from the host, read-only: its libraries (so that nothing of the
   VE is ever loaded into it), CA certificates (for a remote backup repository) and /dev/null.  */
static const char *const view_host_paths[] = { "/usr/lib", "/usr/lib64", "/etc/ssl/certs", "/dev/null" };
#define N_VIEW_PATHS (sizeof (view_host_paths) / sizeof (view_host_paths[0]))

static int
make_view_dirs (const char *program, launcher_error_t *err)
{
  static const char *const dirs[] = { "/proc/ve", "/proc/usr", "/proc/usr/lib", "/proc/usr/lib64", "/proc/etc",
                                      "/proc/etc/ssl", "/proc/etc/ssl/certs", "/proc/dev", "/proc/tmp", "/proc/cairn" };
  char path[PATH_MAX];
  size_t i;
  int fd;

  for (i = 0; i < sizeof (dirs) / sizeof (dirs[0]); i++)
    if (mkdir (dirs[i], 0755) < 0)
      return launcher_fail (err, errno, "mkdir `%s`", dirs[i]);
  chmod ("/proc/tmp", 01777);
  snprintf (path, sizeof (path), "/proc/cairn/%s", program);
  fd = open (path, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
  if (fd < 0 || close (fd) < 0 || (fd = open ("/proc/dev/null", O_CREAT | O_WRONLY | O_CLOEXEC, 0666)) < 0
      || close (fd) < 0)
    return launcher_fail (err, errno, "make the view's mount points");
  if (symlink ("usr/lib", "/proc/lib") < 0 || symlink ("usr/lib64", "/proc/lib64") < 0)
    return launcher_fail (err, errno, "make the view's library links");
  return 0;
}

int
launcher_valid_tree (const char *tree)
{
  static const char *const taken[] = { "ve", "usr", "etc", "dev", "tmp", "cairn", "lib", "lib64" };
  const char *equals = strchr (tree, '=');
  size_t len, i;

  if (equals == NULL || equals == tree || equals[1] != '/')
    return 0;
  len = equals - tree;
  if (len > 16)
    return 0;
  for (i = 0; i < len; i++)
    if (tree[i] < 'a' || tree[i] > 'z')
      return 0;
  for (i = 0; i < sizeof (taken) / sizeof (taken[0]); i++)
    if (strlen (taken[i]) == len && strncmp (taken[i], tree, len) == 0)
      return 0;
  return 1;
}

/* Runs a program of the host (restic, busybox) as the VE's root over the VE's own files and nothing else.
   It joins the VE's user namespace and a private copy of its mount namespace, and chroots into a scratch
   tmpfs holding /ve (the VE's root file system alone: none of the VE's other mounts), the host paths above,
   /cairn/PROGRAM and /tmp. It stays in the caller's pid and network namespaces: nothing in the VE sees or
   traces it, and it reaches a relay on the node's loopback. Whatever path it follows, symlinks included,
   resolves inside that root, with the rights of the VE's root. With in_ve (a static program: busybox), its
   root is the VE's own, so that the VE's absolute symlinks mean what they mean to the VE. Each tree, a node
   folder the engine names (a VE's writable layer, its snapshots), is cloned as the node's root before the VE's
   namespaces are joined and appears, writable, as /NAME: a program copying between them reads and writes as
   the VE's root, and no symlink the VE plants there leads out of the view.  */
int
launcher_cmd_files (pid_t target, int in_ve, const char **cgroup_procs, int n_cgroups, char **trees, int n_trees,
                    char **argv)
{
  static const char *const namespaces[] = { "user", "mnt" };
  struct mount_attr readonly = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
  launcher_error_t err;
  const char *name = strrchr (argv[0], '/') != NULL ? strrchr (argv[0], '/') + 1 : argv[0];
  char path[PATH_MAX];
  int host_trees[N_VIEW_PATHS], named[4], program;
  size_t i;

  memset (&err, 0, sizeof (err));
  /* the cgroups the engine gives its helpers of this VE (the VE's CPU and I/O limits), joined as the host */
  {
    char self[32];
    snprintf (self, sizeof (self), "%d", getpid ());
    for (i = 0; i < (size_t) n_cgroups; i++)
      if (launcher_write_file (cgroup_procs[i], self, &err) < 0)
        goto fail;
  }
  /* clones of the host's paths, taken before leaving the host's mount namespace */
  program = syscall (SYS_open_tree, AT_FDCWD, argv[0], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (program < 0 || syscall (SYS_mount_setattr, program, "", AT_EMPTY_PATH, &readonly, sizeof (readonly)) < 0)
    {
      launcher_fail (&err, errno, "open `%s`", argv[0]);
      goto fail;
    }
  for (i = 0; i < N_VIEW_PATHS; i++)
    {
      host_trees[i] = syscall (SYS_open_tree, AT_FDCWD, view_host_paths[i],
                               OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
      if (host_trees[i] >= 0)
        syscall (SYS_mount_setattr, host_trees[i], "", AT_EMPTY_PATH | AT_RECURSIVE, &readonly, sizeof (readonly));
    }
  for (i = 0; i < (size_t) n_trees; i++)
    {
      named[i] = syscall (SYS_open_tree, AT_FDCWD, strchr (trees[i], '=') + 1, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
      if (named[i] < 0)
        {
          launcher_fail (&err, errno, "open `%s`", strchr (trees[i], '=') + 1);
          goto fail;
        }
    }
  if (launcher_become_ve_root (target, namespaces, 2, &err) < 0)
    goto fail;
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    {
      launcher_fail (&err, errno, "make a private view of the VE's files");
      goto fail;
    }
  umount2 ("/sys", MNT_DETACH);
  umount2 ("/proc", MNT_DETACH);
  if (mount ("cairn-view", "/proc", "tmpfs", MS_NOSUID | MS_NODEV, "size=1g,mode=0755") < 0
      || make_view_dirs (name, &err) < 0)
    {
      if (err.msg[0] == '\0')
        launcher_fail (&err, errno, "mount the view's scratch file system on the VE's /proc");
      goto fail;
    }
  /* not recursive: the VE's root file system only, without its /dev, /proc or any mount made inside */
  if (mount ("/", "/proc/ve", NULL, MS_BIND, NULL) < 0)
    {
      launcher_fail (&err, errno, "bind the VE's root");
      goto fail;
    }
  for (i = 0; i < N_VIEW_PATHS; i++)
    {
      snprintf (path, sizeof (path), "/proc%s", view_host_paths[i]);
      if (host_trees[i] >= 0 && syscall (SYS_move_mount, host_trees[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          launcher_fail (&err, errno, "attach `%s` to the view", view_host_paths[i]);
          goto fail;
        }
    }
  for (i = 0; i < (size_t) n_trees; i++)
    {
      snprintf (path, sizeof (path), "/proc/%.*s", (int) (strchr (trees[i], '=') - trees[i]), trees[i]);
      if (mkdir (path, 0755) < 0
          || syscall (SYS_move_mount, named[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          launcher_fail (&err, errno, "attach `%s` to the view", trees[i]);
          goto fail;
        }
    }
  snprintf (path, sizeof (path), "/proc/cairn/%s", name);
  if (syscall (SYS_move_mount, program, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    {
      launcher_fail (&err, errno, "attach `%s` to the view", argv[0]);
      goto fail;
    }
  snprintf (path, sizeof (path), "/proc/cairn/%s", name);
  program = open (path, O_PATH | O_CLOEXEC);
  if (program < 0 || chdir (in_ve ? "/proc/ve" : "/proc") < 0 || chroot (".") < 0 || chdir ("/") < 0)
    {
      launcher_fail (&err, errno, "enter the view");
      goto fail;
    }
  /* busybox over the VE's root gets nothing of the caller's environment; restic gets what the engine gave it */
  if (in_ve)
    clearenv ();
  setenv ("TMPDIR", "/tmp", 1);
  /* inside the VE's root, nothing is looked up: busybox's shell runs its own applets */
  setenv ("PATH", in_ve ? "/.cairn-no-path" : "/cairn", 1);
  syscall (SYS_execveat, program, "", argv, environ, AT_EMPTY_PATH);
  launcher_fail (&err, errno, "exec `%s`", argv[0]);
fail:
  fprintf (stderr, "cairn-launcher: %s\n", err.msg);
  return 126;
}
