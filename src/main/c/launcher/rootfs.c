/* SPDX-License-Identifier: Apache-2.0 */
/* The VE's first process: its root (the template under its own layer), /dev, /proc and /sys, then its init. */
#define _GNU_SOURCE
#include "launcher.h"
#include "console.h"
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

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

int
launcher_bring_loopback_up (launcher_error_t *err)
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
mount_dev (launcher_error_t *err)
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

/* -t as the kernel's timespec: negative seconds, nanoseconds in [0, 1e9) */
static void
negate (struct timespec *t)
{
  if (t->tv_nsec == 0)
    t->tv_sec = -t->tv_sec;
  else
    {
      t->tv_sec = -t->tv_sec - 1;
      t->tv_nsec = 1000000000L - t->tv_nsec;
    }
}

/* The VE's clocks since its own start: uptime, sysinfo(2) (busybox) and /proc/uptime (procps) count from
   its boot, not the node's. The offsets take effect when the init is exec'd into the new time namespace. */
static int
start_the_ves_clocks (launcher_error_t *err)
{
  struct timespec monotonic, boottime;
  char offsets[128];

  if (UNLIKELY (unshare (CLONE_NEWTIME) < 0))
    return launcher_fail (err, errno, "unshare the time namespace");
  /* becoming the VE's root made this process non-dumpable, its /proc files the node's root's; nothing else of
     the VE runs yet, and its exec sets this again anyway */
  if (UNLIKELY (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) < 0))
    return launcher_fail (err, errno, "prctl PR_SET_DUMPABLE");
  if (UNLIKELY (clock_gettime (CLOCK_MONOTONIC, &monotonic) < 0 || clock_gettime (CLOCK_BOOTTIME, &boottime) < 0))
    return launcher_fail (err, errno, "read the node's clocks");
  /* an offset is seconds (negative here) plus nanoseconds in [0, 1e9): the clocks start at 0, not within a second */
  negate (&monotonic);
  negate (&boottime);
  snprintf (offsets, sizeof (offsets), "monotonic %lld %ld\nboottime %lld %ld\n", (long long) monotonic.tv_sec,
            monotonic.tv_nsec, (long long) boottime.tv_sec, boottime.tv_nsec);
  return launcher_write_file ("/proc/self/timens_offsets", offsets, err);
}

/* systemd's container interface: /run and /run/lock are the manager's tmpfs, not the template's folders */
static int
mount_run (launcher_error_t *err)
{
  if (launcher_ensure_dir ("run", err) < 0)
    return -1;
  if (UNLIKELY (mount ("tmpfs", "run", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=755,size=20%,nr_inodes=800k")
                < 0))
    return launcher_fail (err, errno, "mount tmpfs on /run");
  if (launcher_ensure_dir ("run/lock", err) < 0)
    return -1;
  /* Debian's size for /run/lock */
  if (UNLIKELY (mount ("tmpfs", "run/lock", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=5m") < 0))
    return launcher_fail (err, errno, "mount tmpfs on /run/lock");
  return 0;
}

/* Nesting: a container runtime inside the VE mounts a new /proc and /sys for each container it makes in a user
   namespace of its own, which the kernel allows only where an unmasked instance of each is visible (its
   "mount_too_revealing" check; the VE's /proc has masked files and lxcfs's over it). The VE's root could mount
   these itself; Cairn mounts them for it, out of the way, read-only for /sys.  */
static int
mount_unmasked_views (launcher_error_t *err)
{
  if (launcher_ensure_dir ("dev/.cairn-nesting", err) < 0 || launcher_ensure_dir ("dev/.cairn-nesting/proc", err) < 0
      || launcher_ensure_dir ("dev/.cairn-nesting/sys", err) < 0)
    return -1;
  if (UNLIKELY (mount ("proc", "dev/.cairn-nesting/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0))
    return launcher_fail (err, errno, "mount the unmasked /proc for nesting");
  if (UNLIKELY (mount ("sysfs", "dev/.cairn-nesting/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
                < 0))
    return launcher_fail (err, errno, "mount the unmasked /sys for nesting");
  return 0;
}

/* path without its leading base and '/', when it is under base; else path as it is */
static const char *
relative_to (const char *base, const char *path)
{
  size_t len = strlen (base);

  return strncmp (path, base, len) == 0 && path[len] == '/' ? path + len + 1 : path;
}

int
launcher_mount_root (struct start_opts *o, launcher_error_t *err)
{
  char base[PATH_MAX], options[4096], *slash;

  /* paths relative to the VE's directory: the mount's options, which the VE reads in /proc/self/mountinfo,
     name no folder of the node */
  snprintf (base, sizeof (base), "%s", o->merged);
  slash = strrchr (base, '/');
  if (slash != NULL)
    *slash = '\0';
  if (chdir (base) < 0)
    return launcher_fail (err, errno, "chdir `%s`", base);
  /* xino: a file of the template reports the overlay's device, not the template's file system's, so that CRIU can
     find a file an inotify watch of the VE's holds (systemd's on /etc/localtime) and save the watch */
  snprintf (options, sizeof (options), "lowerdir=%s,upperdir=%s,workdir=%s,userxattr,xino=on",
            relative_to (base, o->idmapped), relative_to (base, o->upper), relative_to (base, o->work));
  if (mount ("overlay", o->merged, "overlay", MS_NODEV, options) < 0)
    return launcher_fail (err, errno, "mount the VE's root (overlay %s)", options);
  if (chdir (o->merged) < 0)
    return launcher_fail (err, errno, "chdir `%s`", o->merged);
  return 0;
}

void
launcher_ve_first_process (struct start_opts *o, int sock)
{
  launcher_error_t err;
  char tag;
  int tree, console = -1, master;

  tree = launcher_receive_fd (sock, &err);
  if (tree < 0)
    child_die (sock, &err);
  if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
    {
      launcher_fail (&err, errno, "become root of the VE's user namespace");
      child_die (sock, &err);
    }
  setgroups (0, NULL);
  if (!o->hold && start_the_ves_clocks (&err) < 0)
    child_die (sock, &err);
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
  if (launcher_bring_loopback_up (&err) < 0)
    child_die (sock, &err);
  if (syscall (SYS_move_mount, tree, "", AT_FDCWD, o->idmapped, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    {
      launcher_fail (&err, errno, "attach the template at `%s`", o->idmapped);
      child_die (sock, &err);
    }
  close (tree);
  if (o->disk_image != NULL)
    {
      int disk = launcher_receive_fd (sock, &err);
      if (disk < 0)
        child_die (sock, &err);
      if (syscall (SYS_move_mount, disk, "", AT_FDCWD, o->disk_dir, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          launcher_fail (&err, errno, "attach the VE's disk at `%s`", o->disk_dir);
          child_die (sock, &err);
        }
      close (disk);
    }
  if (launcher_mount_root (o, &err) < 0)
    child_die (sock, &err);
  if (mount_dev (&err) < 0 || mount_proc_and_sys (o->lxcfs, &err) < 0 || (o->run_tmpfs && mount_run (&err) < 0)
      || (o->nesting && !o->hold && mount_unmasked_views (&err) < 0))
    child_die (sock, &err);
  if (!o->hold)
    {
      /* the console's master goes to the supervisor, which holds it for the VE's whole run */
      master = launcher_console_open_in_ve (&console, &err);
      if (master < 0 || launcher_send_fd (sock, master, 'm', &err) < 0)
        child_die (sock, &err);
      close (master);
    }
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
  if (console < 0)
    console = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (console < 0 || dup2 (console, 0) < 0 || dup2 (console, 1) < 0 || dup2 (console, 2) < 0)
    {
      launcher_fail (&err, errno, "set up the init's standard streams");
      child_die (sock, &err);
    }
  close (console);
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
  /* mounted from inside the cgroup namespace, its root is the VE's own cgroup, whose directory and
     cgroup.procs the engine handed to the VE's root: its init makes its own cgroups below, the limits stay above */
  if (o->cgroup2 && !o->hold
      && mount ("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, NULL) < 0)
    {
      launcher_fail (&err, errno, "mount the VE's cgroup2 tree on /sys/fs/cgroup");
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
  if (launcher_drop_capabilities (&err) < 0 || launcher_load_seccomp (o->nesting, &err) < 0)
    child_die (sock, &err);
  /* 'X' says "about to exec"; a message after it is the exec's failure, a close is its success */
  if (send (sock, "X", 1, MSG_NOSIGNAL) < 0)
    _exit (1);
  execve (o->init_argv[0], o->init_argv, launcher_ve_environment);
  launcher_fail (&err, errno, "exec the VE's init `%s`", o->init_argv[0]);
  child_die (sock, &err);
}
