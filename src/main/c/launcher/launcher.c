/* SPDX-License-Identifier: Apache-2.0 */
/* cairn-launcher: what the JVM cannot do for a VE -- clone into namespaces, id maps, mounts, pivot_root,
   capabilities, seccomp, exec -- and a small supervisor per VE that outlives the JVM.  State, cgroups and
   files stay in Java.

   cairn-launcher start --lower DIR --upper DIR --work DIR --merged DIR --idmapped DIR --hostname NAME
                        --uid-base N --uid-count N --console FILE --state-dir DIR
                        [--cgroup-procs FILE]... [--disk-image IMG --disk-dir DIR] [--lxcfs DIR]
                        [--network-hook SCRIPT] -- INIT [ARG]...
       Starts the VE and prints its init's host pid; a supervisor stays to restart it after `reboot` inside.
       SCRIPT, when it exists, runs with the pid of the VE's first process before that process goes on.
   cairn-launcher exec --pid PID [--tty [--size-file FILE]] [--cgroup-procs FILE]... -- CMD [ARG]...
       Runs CMD in every namespace of the VE whose init is PID, as the VE's root; exits with its status.
       With --tty, CMD gets a terminal of the VE's own devpts, relayed to the launcher's stdin and stdout.
       Its size follows the launcher's own terminal, or (--size-file) "ROWS COLS" in FILE, read again at SIGWINCH.
   cairn-launcher files --pid PID [--in-ve] -- PROGRAM [ARG]...
       Runs PROGRAM, a host path, as the VE's root over the VE's files only (for backups and restores).
   cairn-launcher grow-disk --loop /dev/loopN --disk-dir DIR
       Grows a running VE's ext4 disk online to the new size of its image (DIR: a path to its root).
   With --lxcfs DIR, /proc/meminfo, cpuinfo, stat, uptime ... are lxcfs's views of the VE's own cgroups.
   With --disk-image FILE --disk-dir DIR, start puts the VE's writable layer on its own ext4 image, mounted
   through a self-detaching loop device inside the VE's mount namespace only: the disk quota.  */
#define _GNU_SOURCE
#include "disk.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/mount.h>
#include <net/if.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/vfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CGROUPS 16

struct start_opts
{
  const char *lower, *upper, *work, *merged, *idmapped, *hostname, *console, *state_dir;
  const char *disk_image, *disk_dir; /* optional: the VE's writable layer on its own ext4 image */
  const char *lxcfs;                 /* optional: lxcfs's mount, whose /proc files show the VE's own figures */
  const char *network_hook;          /* optional: run, when it exists, with the VE's first pid before it goes on */
  int hold;                          /* the VE's files only: its first process waits instead of running init */
  const char *cgroup_procs[MAX_CGROUPS];
  int n_cgroups;
  long uid_base, uid_count;
  char **init_argv;
};

static const char *const masked_paths[] = {
  "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
  "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
};

/* The /proc files lxcfs computes from the reader's cgroups: free, top and uptime show the VE's own figures. */
static const char *const lxcfs_files[] = { "meminfo", "cpuinfo", "stat", "uptime", "diskstats", "swaps", "loadavg" };

static const char *const host_devices[] = { "null", "zero", "full", "random", "urandom", "tty", "fuse" };

static char *const ve_environment[] = {
  "container=cairn", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
  "TERM=linux", NULL,
};

/* ---- messages between the supervisor and the VE's first process ---- */

static int
send_fd (int sock, int fd, char tag, launcher_error_t *err)
{
  char buf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = &tag, .iov_len = 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof (buf) };
  struct cmsghdr *cmsg;

  memset (buf, 0, sizeof (buf));
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  if (UNLIKELY (sendmsg (sock, &msg, MSG_NOSIGNAL) < 0))
    return launcher_fail (err, errno, "send the template mount to the VE");
  return 0;
}

static int
receive_fd (int sock, launcher_error_t *err)
{
  char tag, buf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = &tag, .iov_len = 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof (buf) };
  struct cmsghdr *cmsg;
  int fd;

  if (UNLIKELY (recvmsg (sock, &msg, MSG_CMSG_CLOEXEC) <= 0))
    return launcher_fail (err, errno, "receive the template mount");
  cmsg = CMSG_FIRSTHDR (&msg);
  if (UNLIKELY (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS))
    return launcher_fail (err, 0, "no template mount received");
  memcpy (&fd, CMSG_DATA (cmsg), sizeof (int));
  return fd;
}

static void __attribute__ ((noreturn))
child_die (int sock, launcher_error_t *err)
{
  char msg[sizeof (err->msg) + 1];

  msg[0] = 'E';
  strcpy (msg + 1, err->msg);
  if (send (sock, msg, strlen (msg), MSG_NOSIGNAL) < 0)
    fprintf (stderr, "cairn-launcher: %s\n", err->msg);
  _exit (1);
}

/* ---- inside the VE, before exec of its init ---- */

static int
bring_loopback_up (launcher_error_t *err)
{
  cleanup_close int sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr;

  if (UNLIKELY (sock < 0))
    return launcher_fail (err, errno, "socket");
  memset (&ifr, 0, sizeof (ifr));
  strcpy (ifr.ifr_name, "lo");
  if (UNLIKELY (ioctl (sock, SIOCGIFFLAGS, &ifr) < 0))
    return launcher_fail (err, errno, "read the flags of lo");
  ifr.ifr_flags |= IFF_UP;
  if (UNLIKELY (ioctl (sock, SIOCSIFFLAGS, &ifr) < 0))
    return launcher_fail (err, errno, "bring lo up");
  return 0;
}

static int
mount_dev (const char *console, launcher_error_t *err)
{
  char source[64], target[64];
  size_t i;

  if (UNLIKELY (mount ("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") < 0))
    return launcher_fail (err, errno, "mount tmpfs on /dev");
  for (i = 0; i < sizeof (host_devices) / sizeof (host_devices[0]); i++)
    {
      snprintf (source, sizeof (source), "/dev/%s", host_devices[i]);
      snprintf (target, sizeof (target), "dev/%s", host_devices[i]);
      if (access (source, F_OK) < 0)
        continue;
      if (launcher_ensure_file (target, err) < 0)
        return -1;
      if (UNLIKELY (mount (source, target, NULL, MS_BIND, NULL) < 0))
        return launcher_fail (err, errno, "bind `%s`", source);
    }
  if (launcher_ensure_dir ("dev/pts", err) < 0 || launcher_ensure_dir ("dev/shm", err) < 0)
    return -1;
  if (UNLIKELY (mount ("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                       "newinstance,ptmxmode=0666,mode=0620,gid=5") < 0))
    return launcher_fail (err, errno, "mount devpts");
  if (UNLIKELY (mount ("shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0))
    return launcher_fail (err, errno, "mount /dev/shm");
  if (UNLIKELY (symlink ("pts/ptmx", "dev/ptmx") < 0 || symlink ("/proc/self/fd", "dev/fd") < 0
                || symlink ("/proc/self/fd/0", "dev/stdin") < 0 || symlink ("/proc/self/fd/1", "dev/stdout") < 0
                || symlink ("/proc/self/fd/2", "dev/stderr") < 0))
    return launcher_fail (err, errno, "symlinks in /dev");
  /* the console is the VE's log file on the host, until the console feature gives it a terminal */
  if (launcher_ensure_file ("dev/console", err) < 0)
    return -1;
  if (UNLIKELY (mount (console, "dev/console", NULL, MS_BIND, NULL) < 0))
    return launcher_fail (err, errno, "bind the console");
  return 0;
}

static int
mount_lxcfs (const char *lxcfs, launcher_error_t *err)
{
  char source[4096], target[64];
  size_t i;

  for (i = 0; i < sizeof (lxcfs_files) / sizeof (lxcfs_files[0]); i++)
    {
      snprintf (source, sizeof (source), "%s/proc/%s", lxcfs, lxcfs_files[i]);
      snprintf (target, sizeof (target), "proc/%s", lxcfs_files[i]);
      if (access (source, F_OK) < 0)
        continue;
      if (UNLIKELY (mount (source, target, NULL, MS_BIND, NULL) < 0))
        return launcher_fail (err, errno, "bind `%s`", source);
    }
  return 0;
}

static int
mount_proc_and_sys (const char *lxcfs, launcher_error_t *err)
{
  char path[256];
  struct stat st;
  size_t i;

  if (launcher_ensure_dir ("proc", err) < 0 || launcher_ensure_dir ("sys", err) < 0)
    return -1;
  if (UNLIKELY (mount ("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0))
    return launcher_fail (err, errno, "mount /proc");
  if (UNLIKELY (mount ("sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0))
    return launcher_fail (err, errno, "mount /sys read-only");
  if (lxcfs != NULL && mount_lxcfs (lxcfs, err) < 0)
    return -1;
  for (i = 0; i < sizeof (readonly_paths) / sizeof (readonly_paths[0]); i++)
    {
      snprintf (path, sizeof (path), ".%s", readonly_paths[i]);
      if (stat (path, &st) < 0)
        continue;
      if (UNLIKELY (mount (path, path, NULL, MS_BIND | MS_REC, NULL) < 0))
        return launcher_fail (err, errno, "bind `%s`", readonly_paths[i]);
      if (UNLIKELY (mount (NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                           NULL) < 0))
        return launcher_fail (err, errno, "make `%s` read-only", readonly_paths[i]);
    }
  for (i = 0; i < sizeof (masked_paths) / sizeof (masked_paths[0]); i++)
    {
      snprintf (path, sizeof (path), ".%s", masked_paths[i]);
      if (stat (path, &st) < 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          if (UNLIKELY (mount ("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0))
            return launcher_fail (err, errno, "mask `%s`", masked_paths[i]);
        }
      else if (UNLIKELY (mount ("dev/null", path, NULL, MS_BIND, NULL) < 0))
        return launcher_fail (err, errno, "mask `%s`", masked_paths[i]);
    }
  return 0;
}

static void __attribute__ ((noreturn))
ve_first_process (struct start_opts *o, int sock, int console_fd)
{
  launcher_error_t err;
  char options[4096], tag;
  int tree, null_fd;

  tree = receive_fd (sock, &err);
  if (tree < 0)
    child_die (sock, &err);
  if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
    {
      launcher_fail (&err, errno, "become root of the VE's user namespace");
      child_die (sock, &err);
    }
  setgroups (0, NULL);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    {
      launcher_fail (&err, errno, "make the VE's mounts private");
      child_die (sock, &err);
    }
  if (sethostname (o->hostname, strlen (o->hostname)) < 0)
    {
      launcher_fail (&err, errno, "set the hostname `%s`", o->hostname);
      child_die (sock, &err);
    }
  if (bring_loopback_up (&err) < 0)
    child_die (sock, &err);
  if (syscall (SYS_move_mount, tree, "", AT_FDCWD, o->idmapped, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    {
      launcher_fail (&err, errno, "attach the template at `%s`", o->idmapped);
      child_die (sock, &err);
    }
  close (tree);
  if (o->disk_image != NULL)
    {
      int disk = receive_fd (sock, &err);
      if (disk < 0)
        child_die (sock, &err);
      if (syscall (SYS_move_mount, disk, "", AT_FDCWD, o->disk_dir, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          launcher_fail (&err, errno, "attach the VE's disk at `%s`", o->disk_dir);
          child_die (sock, &err);
        }
      close (disk);
    }
  snprintf (options, sizeof (options), "lowerdir=%s,upperdir=%s,workdir=%s,userxattr", o->idmapped, o->upper,
            o->work);
  if (mount ("overlay", o->merged, "overlay", MS_NODEV, options) < 0)
    {
      launcher_fail (&err, errno, "mount the VE's root (overlay %s)", options);
      child_die (sock, &err);
    }
  if (chdir (o->merged) < 0)
    {
      launcher_fail (&err, errno, "chdir `%s`", o->merged);
      child_die (sock, &err);
    }
  if (mount_dev (o->console, &err) < 0 || mount_proc_and_sys (o->lxcfs, &err) < 0)
    child_die (sock, &err);
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    {
      launcher_fail (&err, errno, "pivot_root into `%s`", o->merged);
      child_die (sock, &err);
    }
  if (umount2 (".", MNT_DETACH) < 0 || chdir ("/") < 0)
    {
      launcher_fail (&err, errno, "detach the host's root");
      child_die (sock, &err);
    }
  null_fd = open ("/dev/null", O_RDWR);
  if (null_fd < 0 || dup2 (null_fd, 0) < 0 || dup2 (console_fd, 1) < 0 || dup2 (console_fd, 2) < 0)
    {
      launcher_fail (&err, errno, "set up the init's standard streams");
      child_die (sock, &err);
    }
  if (null_fd > 2)
    close (null_fd);
  close (console_fd);
  /* the supervisor joins this process to the VE's cgroups while it mounts; once it says so, the
     current cgroup becomes the root of the VE's cgroup namespace */
  if (recv (sock, &tag, 1, 0) != 1 || tag != 'c')
    {
      launcher_fail (&err, errno, "wait for the VE's cgroups");
      child_die (sock, &err);
    }
  if (unshare (CLONE_NEWCGROUP) < 0)
    {
      launcher_fail (&err, errno, "unshare the cgroup namespace");
      child_die (sock, &err);
    }
  if (o->hold)
    {
      /* a stopped VE's files, for a backup or restore: nothing of the VE runs, the engine enters and kills */
      if (send (sock, "X", 1, MSG_NOSIGNAL) < 0)
        _exit (1);
      close (sock);
      for (;;)
        pause ();
    }
  if (launcher_drop_capabilities (&err) < 0 || launcher_load_seccomp (&err) < 0)
    child_die (sock, &err);
  /* 'X' says "about to exec"; a message after it is the exec's failure, a close is its success */
  if (send (sock, "X", 1, MSG_NOSIGNAL) < 0)
    _exit (1);
  execve (o->init_argv[0], o->init_argv, ve_environment);
  launcher_fail (&err, errno, "exec the VE's init `%s`", o->init_argv[0]);
  child_die (sock, &err);
}

/* ---- the supervisor's side of a start ---- */

static void
write_state (const char *dir, const char *name, const char *content)
{
  char path[4096], tmp[4096];
  FILE *f;

  snprintf (path, sizeof (path), "%s/%s", dir, name);
  snprintf (tmp, sizeof (tmp), "%s/.%s.tmp", dir, name);
  f = fopen (tmp, "we");
  if (f == NULL)
    return;
  fputs (content, f);
  fclose (f);
  rename (tmp, path);
}


static int
write_map (pid_t pid, const char *file, long base, long count, launcher_error_t *err)
{
  char path[64], map[64];

  snprintf (path, sizeof (path), "/proc/%d/%s", pid, file);
  snprintf (map, sizeof (map), "0 %ld %ld\n", base, count);
  return launcher_write_file (path, map, err);
}

/* The template, read-only and id-mapped into the VE's user namespace, as a mount attached nowhere. */
static int
idmapped_template (pid_t pid, const char *lower, launcher_error_t *err)
{
  struct mount_attr attr;
  char path[64];
  cleanup_close int userns = -1;
  int tree;

  snprintf (path, sizeof (path), "/proc/%d/ns/user", pid);
  userns = open (path, O_RDONLY | O_CLOEXEC);
  if (UNLIKELY (userns < 0))
    return launcher_fail (err, errno, "open `%s`", path);
  tree = syscall (SYS_open_tree, AT_FDCWD, lower, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (UNLIKELY (tree < 0))
    return launcher_fail (err, errno, "open_tree `%s`", lower);
  memset (&attr, 0, sizeof (attr));
  attr.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY;
  attr.userns_fd = userns;
  if (UNLIKELY (syscall (SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof (attr)) < 0))
    {
      close (tree);
      return launcher_fail (err, errno, "id-map `%s`", lower);
    }
  return tree;
}

/* A VE with a single cgroup on a cgroup2 file system is born in it (clone3 CLONE_INTO_CGROUP): moving a
   task between cgroups afterwards waits for an RCU grace period, often several milliseconds.  */
static int
open_v2_cgroup (struct start_opts *o)
{
  char dir[4096], *slash;
  struct statfs fs;
  int fd;

  if (o->n_cgroups != 1)
    return -1;
  snprintf (dir, sizeof (dir), "%s", o->cgroup_procs[0]);
  slash = strrchr (dir, '/');
  if (slash == NULL)
    return -1;
  *slash = '\0';
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 && (fstatfs (fd, &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static pid_t
clone_ve (int cgroup_fd)
{
  struct clone_args args;

  memset (&args, 0, sizeof (args));
  args.flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = cgroup_fd;
    }
  return syscall (SYS_clone3, &args, sizeof (args));
}

/* The engine's network script (ip, nft) builds the VE's link while its first process waits; its output goes
   to state/network.log, whose last line explains a failure.  */
static int
run_network_hook (struct start_opts *o, const char *pidtext, launcher_error_t *err)
{
  char log[PATH_MAX], tail[256] = "";
  int status, fd;
  pid_t hook;
  ssize_t n;

  if (o->network_hook == NULL || access (o->network_hook, R_OK) < 0)
    return 0;
  snprintf (log, sizeof (log), "%s/network.log", o->state_dir);
  hook = fork ();
  if (UNLIKELY (hook < 0))
    return launcher_fail (err, errno, "fork");
  if (hook == 0)
    {
      fd = open (log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd < 0 || dup2 (fd, 1) < 0 || dup2 (fd, 2) < 0)
        _exit (126);
      execl ("/bin/sh", "sh", o->network_hook, pidtext, (char *) NULL);
      _exit (127);
    }
  while (waitpid (hook, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  fd = open (log, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      off_t size = lseek (fd, 0, SEEK_END);
      n = pread (fd, tail, sizeof (tail) - 1, size > (off_t) sizeof (tail) - 1 ? size - (off_t) sizeof (tail) + 1 : 0);
      close (fd);
      tail[n > 0 ? n : 0] = '\0';
      while (n > 0 && tail[n - 1] == '\n')
        tail[--n] = '\0';
    }
  return launcher_fail (err, 0, "set up the VE's network (%s): %s", o->network_hook,
                        strrchr (tail, '\n') ? strrchr (tail, '\n') + 1 : tail);
}

static pid_t
launch_ve (struct start_opts *o, launcher_error_t *err)
{
  cleanup_close int console_fd = -1;
  cleanup_close int tree = -1;
  cleanup_close int cgroup_fd = open_v2_cgroup (o);
  int sp[2], i;
  char pidtext[32], reply[sizeof (err->msg) + 2];
  ssize_t n;
  pid_t pid, mover = -1;

  console_fd = open (o->console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (UNLIKELY (console_fd < 0))
    return launcher_fail (err, errno, "open `%s`", o->console);
  if (UNLIKELY (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0))
    return launcher_fail (err, errno, "socketpair");
  pid = clone_ve (cgroup_fd);
  if (UNLIKELY (pid < 0))
    {
      close (sp[0]);
      close (sp[1]);
      return launcher_fail (err, errno, "clone the VE's namespaces");
    }
  if (pid == 0)
    {
      close (sp[0]);
      ve_first_process (o, sp[1], console_fd);
    }
  close (sp[1]);
  /* v1: moving a task into a cgroup waits for an RCU grace period; a helper does it while this process
     maps ids and mounts and the VE's first process builds its root */
  snprintf (pidtext, sizeof (pidtext), "%d", pid);
  if (cgroup_fd < 0 && o->n_cgroups > 0)
    {
      mover = fork ();
      if (mover == 0)
        {
          for (i = 0; i < o->n_cgroups; i++)
            if (launcher_write_file (o->cgroup_procs[i], pidtext, err) < 0)
              {
                fprintf (stderr, "cairn-launcher: %s\n", err->msg);
                _exit (1);
              }
          _exit (0);
        }
      if (UNLIKELY (mover < 0))
        {
          launcher_fail (err, errno, "fork");
          goto fail;
        }
    }
  if (write_map (pid, "uid_map", o->uid_base, o->uid_count, err) < 0
      || write_map (pid, "gid_map", o->uid_base, o->uid_count, err) < 0)
    goto fail;
  tree = idmapped_template (pid, o->lower, err);
  if (tree < 0 || send_fd (sp[0], tree, 'g', err) < 0)
    goto fail;
  if (o->disk_image != NULL)
    {
      /* mounted once and held, detached, by the supervisor for the VE's whole life (reboots included, so
         its loop device and I/O limits stay); each run of the VE gets a clone of it.  Java reaches the file
         system through /proc/PID/fd to size and grow it.  */
      static int disk = -1;
      int clone;
      if (disk < 0)
        {
          char loop_path[64], record[128];
          disk = launcher_mount_disk (o->disk_image, loop_path, sizeof (loop_path), err);
          if (disk < 0)
            goto fail;
          snprintf (record, sizeof (record), "%s %d %d\n", loop_path, getpid (), disk);
          write_state (o->state_dir, "disk", record);
        }
      clone = syscall (SYS_open_tree, disk, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
      if (UNLIKELY (clone < 0))
        {
          launcher_fail (err, errno, "clone the VE's disk mount");
          goto fail;
        }
      if (send_fd (sp[0], clone, 'd', err) < 0)
        {
          close (clone);
          goto fail;
        }
      close (clone);
    }
  if (mover > 0)
    {
      int moved;
      while (waitpid (mover, &moved, 0) < 0 && errno == EINTR)
        ;
      mover = -1;
      if (!WIFEXITED (moved) || WEXITSTATUS (moved) != 0)
        {
          launcher_fail (err, 0, "join the VE's cgroups (%s)", o->cgroup_procs[0]);
          goto fail;
        }
    }
  if (run_network_hook (o, pidtext, err) < 0)
    goto fail;
  if (UNLIKELY (send (sp[0], "c", 1, MSG_NOSIGNAL) != 1))
    {
      launcher_fail (err, errno, "tell the VE its cgroups are ready");
      goto fail;
    }
  n = recv (sp[0], reply, sizeof (reply) - 1, 0);
  if (n == 1 && reply[0] == 'X')
    n = recv (sp[0], reply, sizeof (reply) - 1, 0);
  else if (n > 0 && reply[0] != 'E')
    n = -1;
  if (n > 0)
    {
      reply[n] = '\0';
      launcher_fail (err, 0, "%s", reply + 1);
      goto fail;
    }
  if (n < 0)
    {
      launcher_fail (err, errno, "the VE's first process");
      goto fail;
    }
  close (sp[0]);
  return pid;

fail:
  close (sp[0]);
  if (mover > 0)
    waitpid (mover, NULL, 0);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  return -1;
}

static int
cmd_start (struct start_opts *o)
{
  launcher_error_t err;
  int report[2], first = 1, status, null_fd;
  char buf[sizeof (err.msg) + 32], path[4096];
  ssize_t n;
  pid_t pid;

  if (pipe2 (report, O_CLOEXEC) < 0)
    {
      perror ("cairn-launcher: pipe");
      return 1;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("cairn-launcher: fork");
      return 1;
    }
  if (pid > 0)
    {
      /* the caller's process: print what the supervisor reports, then leave it running */
      close (report[1]);
      n = read (report[0], buf, sizeof (buf) - 1);
      if (n <= 0)
        {
          fprintf (stderr, "cairn-launcher: the supervisor ended before the VE started\n");
          return 1;
        }
      buf[n] = '\0';
      if (strncmp (buf, "ok ", 3) == 0)
        {
          fputs (buf + 3, stdout);
          return 0;
        }
      fprintf (stderr, "cairn-launcher: %s\n", buf + 1);
      return 1;
    }

  close (report[0]);
  setsid ();
  signal (SIGHUP, SIG_IGN);
  snprintf (buf, sizeof (buf), "%d\n", getpid ());
  write_state (o->state_dir, "supervisor.pid", buf);
  for (;;)
    {
      pid = launch_ve (o, &err);
      if (pid < 0)
        {
          if (first)
            {
              snprintf (buf, sizeof (buf), "E%s", err.msg);
              if (write (report[1], buf, strlen (buf)) < 0)
                return 1;
            }
          write_state (o->state_dir, "failure", err.msg);
          break;
        }
      snprintf (buf, sizeof (buf), "%d\n", pid);
      write_state (o->state_dir, "init.pid", buf);
      if (first)
        {
          snprintf (buf, sizeof (buf), "ok %d\n", pid);
          if (write (report[1], buf, strlen (buf)) < 0)
            return 1;
          close (report[1]);
          null_fd = open ("/dev/null", O_RDWR);
          dup2 (null_fd, 0);
          dup2 (null_fd, 1);
          dup2 (null_fd, 2);
          if (null_fd > 2)
            close (null_fd);
          first = 0;
        }
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      snprintf (buf, sizeof (buf), "%s %d\n", WIFSIGNALED (status) ? "signal" : "exit",
                WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
      write_state (o->state_dir, "exit", buf);
      snprintf (path, sizeof (path), "%s/stop-requested", o->state_dir);
      /* `reboot` inside ends the pid namespace's init with SIGHUP: start the VE again, as OpenVZ does */
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGHUP && access (path, F_OK) < 0)
        continue;
      break;
    }
  /* the VE is gone: so are its (now empty) cgroups, also when it powered itself off */
  for (int i = 0; i < o->n_cgroups; i++)
    {
      char *slash;
      snprintf (path, sizeof (path), "%s", o->cgroup_procs[i]);
      slash = strrchr (path, '/');
      if (slash != NULL)
        {
          *slash = '\0';
          rmdir (path);
        }
    }
  snprintf (path, sizeof (path), "%s/init.pid", o->state_dir);
  unlink (path);
  snprintf (path, sizeof (path), "%s/supervisor.pid", o->state_dir);
  unlink (path);
  return 0;
}

/* ---- exec ---- */

/* Joins the namespaces of the VE whose first process is target, in the order given (user first), as its root.
   All are opened before any is joined, as the host's root: a held VE's first process never ran exec, so only
   the host's root may open its namespaces.  */
static int
become_ve_root (pid_t target, const char *const *namespaces, int n, launcher_error_t *err)
{
  char path[64];
  int fds[8], i;

  for (i = 0; i < n; i++)
    {
      snprintf (path, sizeof (path), "/proc/%d/ns/%s", target, namespaces[i]);
      fds[i] = open (path, O_RDONLY | O_CLOEXEC);
      if (fds[i] < 0)
        return launcher_fail (err, errno, "open `%s` (is the VE running?)", path);
    }
  for (i = 0; i < n; i++)
    if (setns (fds[i], 0) < 0)
      return launcher_fail (err, errno, "enter the VE's %s namespace", namespaces[i]);
  if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
    return launcher_fail (err, errno, "become the VE's root");
  setgroups (0, NULL);
  return 0;
}

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

/* Runs a program of the host (restic, busybox) as the VE's root over the VE's own files and nothing else.
   It joins the VE's user namespace and a private copy of its mount namespace, and chroots into a scratch
   tmpfs holding /ve (the VE's root file system alone: none of the VE's other mounts), the host paths above,
   /cairn/PROGRAM and /tmp. It stays in the caller's pid and network namespaces: nothing in the VE sees or
   traces it, and it reaches a relay on the node's loopback. Whatever path it follows, symlinks included,
   resolves inside that root, with the rights of the VE's root. With in_ve (a static program: busybox), its
   root is the VE's own, so that the VE's absolute symlinks mean what they mean to the VE.  */
static int
cmd_files (pid_t target, int in_ve, char **argv)
{
  static const char *const namespaces[] = { "user", "mnt" };
  struct mount_attr readonly = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
  launcher_error_t err;
  const char *name = strrchr (argv[0], '/') != NULL ? strrchr (argv[0], '/') + 1 : argv[0];
  char path[PATH_MAX];
  int trees[N_VIEW_PATHS], program;
  size_t i;

  memset (&err, 0, sizeof (err));
  /* clones of the host's paths, taken before leaving the host's mount namespace */
  program = syscall (SYS_open_tree, AT_FDCWD, argv[0], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (program < 0 || syscall (SYS_mount_setattr, program, "", AT_EMPTY_PATH, &readonly, sizeof (readonly)) < 0)
    {
      launcher_fail (&err, errno, "open `%s`", argv[0]);
      goto fail;
    }
  for (i = 0; i < N_VIEW_PATHS; i++)
    {
      trees[i] = syscall (SYS_open_tree, AT_FDCWD, view_host_paths[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
      if (trees[i] >= 0)
        syscall (SYS_mount_setattr, trees[i], "", AT_EMPTY_PATH | AT_RECURSIVE, &readonly, sizeof (readonly));
    }
  if (become_ve_root (target, namespaces, 2, &err) < 0)
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
      if (trees[i] >= 0 && syscall (SYS_move_mount, trees[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          launcher_fail (&err, errno, "attach `%s` to the view", view_host_paths[i]);
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
  setenv ("TMPDIR", "/tmp", 1);
  /* inside the VE's root, nothing is looked up: busybox's shell runs its own applets */
  setenv ("PATH", in_ve ? "/.cairn-no-path" : "/cairn", 1);
  syscall (SYS_execveat, program, "", argv, environ, AT_EMPTY_PATH);
  launcher_fail (&err, errno, "exec `%s`", argv[0]);
fail:
  fprintf (stderr, "cairn-launcher: %s\n", err.msg);
  return 126;
}

static pid_t exec_child = -1;
static volatile sig_atomic_t window_changed = 0;

static void
forward_signal (int sig)
{
  if (exec_child > 0)
    kill (exec_child, sig);
}

static void
note_window_change (int sig)
{
  window_changed = 1;
}

/* With --size-file, the caller is no terminal: it writes "ROWS COLS" there and sends SIGWINCH. */
static int size_fd = -1;

static void
copy_window_size (int from, int to)
{
  struct winsize ws;
  char buf[32];
  ssize_t n;
  unsigned rows, cols;

  if (size_fd >= 0)
    {
      n = pread (size_fd, buf, sizeof (buf) - 1, 0);
      if (n <= 0)
        return;
      buf[n] = '\0';
      if (sscanf (buf, "%u %u", &rows, &cols) != 2 || rows == 0 || cols == 0 || rows > 1000 || cols > 1000)
        return;
      memset (&ws, 0, sizeof (ws));
      ws.ws_row = rows;
      ws.ws_col = cols;
      ioctl (to, TIOCSWINSZ, &ws);
    }
  else if (ioctl (from, TIOCGWINSZ, &ws) == 0)
    ioctl (to, TIOCSWINSZ, &ws);
}

/* Opens a terminal pair in the VE's devpts (the caller is in the VE's mount namespace already). */
static int
open_terminal (int *slave, launcher_error_t *err)
{
  char name[64];
  int master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

  if (UNLIKELY (master < 0))
    return launcher_fail (err, errno, "open the VE's /dev/ptmx");
  if (UNLIKELY (unlockpt (master) < 0 || ptsname_r (master, name, sizeof (name)) != 0))
    {
      close (master);
      return launcher_fail (err, errno, "unlock the VE's terminal");
    }
  *slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (UNLIKELY (*slave < 0))
    {
      close (master);
      return launcher_fail (err, errno, "open `%s`", name);
    }
  return master;
}

static int
write_all (int fd, const char *buf, ssize_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, buf, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      buf += n;
      len -= n;
    }
  return 0;
}

/* Copies the caller's input to the terminal and the terminal's output back until the command ends. */
static void
relay_terminal (int master)
{
  struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = master, .events = POLLIN } };
  char buf[8192];
  ssize_t n;

  for (;;)
    {
      if (window_changed)
        {
          window_changed = 0;
          copy_window_size (0, master);
        }
      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return;
        }
      if (fds[0].revents & (POLLIN | POLLHUP))
        {
          n = read (0, buf, sizeof (buf));
          if (n > 0)
            write_all (master, buf, n);
          else if (n == 0 || errno != EINTR)
            fds[0].fd = -1; /* input ended: keep showing output until the command exits */
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = read (master, buf, sizeof (buf));
          if (n <= 0 && errno != EINTR)
            return; /* EIO: the last holder of the terminal has gone */
          if (n > 0 && write_all (1, buf, n) < 0)
            return;
        }
    }
}

static int
cmd_exec (pid_t target, int tty, const char *size_file, const char **cgroup_procs, int n_cgroups, char **argv)
{
  static const char *const namespaces[] = { "user", "ipc", "uts", "net", "pid", "cgroup", "mnt" };
  launcher_error_t err;
  char self[32];
  const char *term = getenv ("TERM");
  int status, i, master = -1, slave = -1, raw = 0;
  struct termios saved;

  /* opened on the node's side, before joining the VE, and closed at the command's exec */
  if (size_file != NULL && (size_fd = open (size_file, O_RDONLY | O_CLOEXEC)) < 0)
    {
      launcher_fail (&err, errno, "open `%s`", size_file);
      goto fail;
    }
  snprintf (self, sizeof (self), "%d", getpid ());
  for (i = 0; i < n_cgroups; i++)
    if (launcher_write_file (cgroup_procs[i], self, &err) < 0)
      goto fail;
  if (become_ve_root (target, namespaces, 7, &err) < 0)
    goto fail;
  if (tty)
    {
      master = open_terminal (&slave, &err);
      if (master < 0)
        goto fail;
      copy_window_size (0, master);
    }
  exec_child = fork ();
  if (exec_child < 0)
    {
      launcher_fail (&err, errno, "fork");
      goto fail;
    }
  if (exec_child == 0)
    {
      for (i = 0; ve_environment[i] != NULL; i++)
        putenv (ve_environment[i]);
      if (tty)
        {
          if (term != NULL)
            setenv ("TERM", term, 1);
          if (setsid () < 0 || ioctl (slave, TIOCSCTTY, 0) < 0 || dup2 (slave, 0) < 0 || dup2 (slave, 1) < 0
              || dup2 (slave, 2) < 0)
            _exit (126);
        }
      if (chdir ("/root") < 0 && chdir ("/") < 0)
        _exit (127);
      if (launcher_drop_capabilities (&err) < 0 || launcher_load_seccomp (&err) < 0)
        {
          fprintf (stderr, "cairn-launcher: %s\n", err.msg);
          _exit (127);
        }
      execvp (argv[0], argv);
      fprintf (stderr, "cairn-launcher: %s: %s\n", argv[0], strerror (errno));
      _exit (errno == ENOENT ? 127 : 126);
    }
  signal (SIGTERM, forward_signal);
  signal (SIGHUP, forward_signal);
  if (tty)
    {
      struct sigaction winch = { .sa_handler = note_window_change };
      close (slave);
      sigaction (SIGWINCH, &winch, NULL);
      /* the caller's own terminal passes every key through, ^C included */
      if (isatty (0) && tcgetattr (0, &saved) == 0)
        {
          struct termios rawmode = saved;
          cfmakeraw (&rawmode);
          raw = tcsetattr (0, TCSANOW, &rawmode) == 0;
        }
      relay_terminal (master);
      if (raw)
        tcsetattr (0, TCSANOW, &saved);
    }
  else
    {
      signal (SIGINT, forward_signal);
      signal (SIGQUIT, forward_signal);
    }
  while (waitpid (exec_child, &status, 0) < 0)
    if (errno != EINTR)
      return 1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);

fail:
  fprintf (stderr, "cairn-launcher: %s\n", err.msg);
  return 125;
}

/* ---- command line ---- */

static int
usage (void)
{
  fprintf (stderr, "usage: cairn-launcher start OPTIONS -- INIT [ARG]...\n"
                   "       cairn-launcher exec --pid PID [--tty [--size-file FILE]] [--cgroup-procs FILE]... -- CMD [ARG]...\n"
                   "       cairn-launcher files --pid PID [--in-ve] -- PROGRAM [ARG]...\n"
                   "       cairn-launcher grow-disk --loop /dev/loopN --disk-dir DIR\n");
  return 2;
}

int
main (int argc, char **argv)
{
  static const struct option options[]
      = { { "lower", required_argument, 0, 'l' },     { "upper", required_argument, 0, 'u' },
          { "work", required_argument, 0, 'w' },      { "merged", required_argument, 0, 'm' },
          { "idmapped", required_argument, 0, 'i' },  { "hostname", required_argument, 0, 'h' },
          { "uid-base", required_argument, 0, 'b' },  { "uid-count", required_argument, 0, 'c' },
          { "console", required_argument, 0, 'o' },   { "state-dir", required_argument, 0, 's' },
          { "cgroup-procs", required_argument, 0, 'g' }, { "pid", required_argument, 0, 'p' },
          { "tty", no_argument, 0, 't' },          { "disk-image", required_argument, 0, 'D' },
          { "disk-dir", required_argument, 0, 'd' }, { "loop", required_argument, 0, 'L' },
          { "lxcfs", required_argument, 0, 'x' },     { "network-hook", required_argument, 0, 'N' },
          { "hold", no_argument, 0, 'H' },          { "in-ve", no_argument, 0, 'V' },
          { "size-file", required_argument, 0, 'z' },
          { 0, 0, 0, 0 } };
  struct start_opts o;
  const char *command;
  pid_t target = 0;
  int opt, tty = 0, in_ve = 0;
  const char *loop = NULL, *size_file = NULL;

  if (argc < 2)
    return usage ();
  command = argv[1];
  memset (&o, 0, sizeof (o));
  optind = 2;
  while ((opt = getopt_long (argc, argv, "", options, NULL)) != -1)
    {
      switch (opt)
        {
        case 'l': o.lower = optarg; break;
        case 'u': o.upper = optarg; break;
        case 'w': o.work = optarg; break;
        case 'm': o.merged = optarg; break;
        case 'i': o.idmapped = optarg; break;
        case 'h': o.hostname = optarg; break;
        case 'b': o.uid_base = strtol (optarg, NULL, 10); break;
        case 'c': o.uid_count = strtol (optarg, NULL, 10); break;
        case 'o': o.console = optarg; break;
        case 's': o.state_dir = optarg; break;
        case 'p': target = (pid_t) strtol (optarg, NULL, 10); break;
        case 't': tty = 1; break;
        case 'D': o.disk_image = optarg; break;
        case 'd': o.disk_dir = optarg; break;
        case 'L': loop = optarg; break;
        case 'x': o.lxcfs = optarg; break;
        case 'N': o.network_hook = optarg; break;
        case 'H': o.hold = 1; break;
        case 'V': in_ve = 1; break;
        case 'z': size_file = optarg; break;
        case 'g':
          if (o.n_cgroups == MAX_CGROUPS)
            return usage ();
          o.cgroup_procs[o.n_cgroups++] = optarg;
          break;
        default: return usage ();
        }
    }
  if (strcmp (command, "grow-disk") == 0)
    {
      launcher_error_t err;
      if (loop == NULL || o.disk_dir == NULL)
        return usage ();
      if (launcher_grow_disk (loop, o.disk_dir, &err) < 0)
        {
          fprintf (stderr, "cairn-launcher: %s\n", err.msg);
          return 1;
        }
      return 0;
    }
  if (optind >= argc)
    return usage ();
  if (strcmp (command, "exec") == 0)
    return target > 0 ? cmd_exec (target, tty, size_file, o.cgroup_procs, o.n_cgroups, argv + optind) : usage ();
  if (strcmp (command, "files") == 0)
    return target > 0 ? cmd_files (target, in_ve, argv + optind) : usage ();
  if (strcmp (command, "start") == 0)
    {
      if (!o.lower || !o.upper || !o.work || !o.merged || !o.idmapped || !o.hostname || !o.console || !o.state_dir
          || o.uid_base <= 0 || o.uid_count <= 0 || (o.disk_image != NULL) != (o.disk_dir != NULL))
        return usage ();
      o.init_argv = argv + optind;
      return cmd_start (&o);
    }
  return usage ();
}
