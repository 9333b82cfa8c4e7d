/* SPDX-License-Identifier: Apache-2.0 */
/* The supervisor: clones a VE's namespaces, maps its ids, hands it its template and disk, and stays to restart
   it after `reboot` inside.  */
#define _GNU_SOURCE
#include "launcher.h"
#include "cgroup.h"
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

void
launcher_write_state (const char *dir, const char *name, const char *content)
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

/* The template, read-only and id-mapped into the ids of the user namespace userns, as a mount attached nowhere. */
int
launcher_idmapped_template (int userns, const char *lower, launcher_error_t *err)
{
  struct mount_attr attr;
  int tree;

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

/* The template id-mapped into the user namespace of the VE's first process. */
static int
idmapped_template (pid_t pid, const char *lower, launcher_error_t *err)
{
  char path[64];
  cleanup_close int userns = -1;

  snprintf (path, sizeof (path), "/proc/%d/ns/user", pid);
  userns = open (path, O_RDONLY | O_CLOEXEC);
  if (UNLIKELY (userns < 0))
    return launcher_fail (err, errno, "open `%s`", path);
  return launcher_idmapped_template (userns, lower, err);
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

/* The cgroup whose cgroup.procs file is procs: cleared of its init's own cgroups, or removed.  */
static int
clear_cgroup_of (const char *procs, int remove, launcher_error_t *err)
{
  char dir[4096], *slash;

  snprintf (dir, sizeof (dir), "%s", procs);
  slash = strrchr (dir, '/');
  if (slash == NULL)
    return 0;
  *slash = '\0';
  return remove ? launcher_cgroup_remove (dir, err) : launcher_cgroup_clear (dir, err);
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

/* A reply of the VE's first process: its text, and the descriptor it carries (the console's master), if any. */
static ssize_t
receive_reply (int sock, char *buf, size_t len, int *fd, int flags)
{
  char control[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = buf, .iov_len = len };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof (control) };
  struct cmsghdr *cmsg;
  ssize_t n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC | flags);

  if (n > 0)
    for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
      if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
        memcpy (fd, CMSG_DATA (cmsg), sizeof (int));
  return n;
}

/* When a step of the supervisor's fails because the VE's first process has ended, that process's own error
   (sent before it ended) is the cause the caller needs, not the supervisor's "Broken pipe".  */
static void
take_first_process_error (int sock, launcher_error_t *err)
{
  char reply[sizeof (err->msg) + 2];
  int fd = -1;
  ssize_t n;

  while ((n = receive_reply (sock, reply, sizeof (reply) - 1, &fd, MSG_DONTWAIT)) > 0)
    {
      if (fd >= 0)
        close (fd);
      fd = -1;
      if (reply[0] == 'E')
        {
          reply[n] = '\0';
          launcher_fail (err, 0, "%s", reply + 1);
          return;
        }
    }
}

static void
end_process (pid_t *pid)
{
  if (*pid > 0)
    {
      kill (*pid, SIGKILL);
      waitpid (*pid, NULL, 0);
    }
  *pid = -1;
}

/* The VE's disk, mounted once and held, detached, by the supervisor for the VE's whole life (reboots included, so
   its loop device and I/O limits stay): a clone of it for a run of the VE.  Java reaches the file system through
   /proc/PID/fd to size and grow it.  */
int
launcher_clone_disk (struct start_opts *o, launcher_error_t *err)
{
  static int disk = -1;
  int clone;

  if (disk < 0)
    {
      char loop_path[64], record[128];
      disk = launcher_mount_disk (o->disk_image, loop_path, sizeof (loop_path), err);
      if (disk < 0)
        return -1;
      snprintf (record, sizeof (record), "%s %d %d\n", loop_path, getpid (), disk);
      launcher_write_state (o->state_dir, "disk", record);
    }
  clone = syscall (SYS_open_tree, disk, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (UNLIKELY (clone < 0))
    return launcher_fail (err, errno, "clone the VE's disk mount");
  return clone;
}

static pid_t
launch_ve (struct start_opts *o, int *master, pid_t *network, launcher_error_t *err)
{
  cleanup_close int tree = -1;
  cleanup_close int cgroup_fd = open_v2_cgroup (o);
  int sp[2], i;
  char pidtext[32], reply[sizeof (err->msg) + 2];
  ssize_t n;
  pid_t pid, mover = -1;

  *master = -1;
  *network = -1;
  if (o->images != NULL)
    {
      /* a checkpointed VE comes back once; a reboot inside boots it afresh */
      pid = launcher_restore_ve (o, master, err);
      o->images = NULL;
      if (pid > 0 && (*network = launcher_hold_network (pid, err)) < 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          return -1;
        }
      return pid;
    }
  /* what the VE's last init made in its delegated subtree goes before the next is born there */
  for (i = 0; i < o->n_cgroups; i++)
    if (clear_cgroup_of (o->cgroup_procs[i], 0, err) < 0)
      return -1;
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
      launcher_ve_first_process (o, sp[1]);
    }
  close (sp[1]);
  if (!o->hold && (*network = launcher_hold_network (pid, err)) < 0)
    goto fail;
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
  if (tree < 0 || launcher_send_fd (sp[0], tree, 'g', err) < 0)
    goto fail;
  if (o->disk_image != NULL)
    {
      int clone = launcher_clone_disk (o, err);
      if (clone < 0)
        goto fail;
      if (launcher_send_fd (sp[0], clone, 'd', err) < 0)
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
  if (launcher_run_network_hook (o, pidtext, err) < 0)
    goto fail;
  if (UNLIKELY (send (sp[0], "c", 1, MSG_NOSIGNAL) != 1))
    {
      launcher_fail (err, errno, "tell the VE its cgroups are ready");
      goto fail;
    }
  /* the console's master ('m'), then 'X' just before the exec; a message after it is the exec's failure, a
     close is its success */
  for (;;)
    {
      int fd = -1;
      n = receive_reply (sp[0], reply, sizeof (reply) - 1, &fd, 0);
      if (n > 0 && reply[0] == 'm' && fd >= 0 && *master < 0)
        {
          *master = fd;
          continue;
        }
      if (fd >= 0)
        close (fd);
      if (n == 1 && reply[0] == 'X')
        continue;
      break;
    }
  if (n > 0 && reply[0] != 'E')
    {
      launcher_fail (err, 0, "an unexpected message from the VE's first process");
      goto fail;
    }
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
  take_first_process_error (sp[0], err);
  close (sp[0]);
  if (*master >= 0)
    close (*master);
  *master = -1;
  end_process (network);
  if (mover > 0)
    waitpid (mover, NULL, 0);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  return -1;
}

/* As systemd's start limit: a VE that reboots RESTART_BURST times within RESTART_WINDOW seconds (an init
   script running `reboot -f`, say) is left stopped, and says why.  Quick restarts wait longer each time.  */
#define RESTART_BURST 5
#define RESTART_WINDOW 30

static int
restart_allowed (struct start_opts *o, time_t *restarts, int *n, time_t ran_for)
{
  time_t now = time (NULL);
  int i, recent = 0;
  char why[256];

  if (*n == RESTART_BURST)
    {
      memmove (restarts, restarts + 1, (RESTART_BURST - 1) * sizeof (time_t));
      (*n)--;
    }
  restarts[(*n)++] = now;
  for (i = 0; i < *n; i++)
    if (now - restarts[i] < RESTART_WINDOW)
      recent++;
  if (recent >= RESTART_BURST)
    {
      snprintf (why, sizeof (why), "restarting too often: %d reboots within %d s; it was stopped", recent,
                RESTART_WINDOW);
      launcher_write_state (o->state_dir, "failure", why);
      return 0;
    }
  if (ran_for < 10)
    {
      struct timespec pause = { .tv_sec = 0, .tv_nsec = 250L * 1000 * 1000 };
      for (i = 1; i < recent; i++)
        {
          pause.tv_nsec *= 2;
          if (pause.tv_nsec >= 1000000000L)
            {
              pause.tv_sec += pause.tv_nsec / 1000000000L;
              pause.tv_nsec %= 1000000000L;
            }
        }
      while (nanosleep (&pause, &pause) < 0 && errno == EINTR)
        ;
    }
  return 1;
}

int
launcher_cmd_start (struct start_opts *o)
{
  launcher_error_t err;
  struct launcher_console console;
  int report[2], first = 1, status, null_fd, master, pidfd;
  pid_t network = -1;
  char buf[sizeof (err.msg) + 32], path[4096];
  time_t restarts[RESTART_BURST], started;
  int n_restarts = 0;
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
  launcher_write_state (o->state_dir, "supervisor.pid", buf);
  snprintf (path, sizeof (path), "%s/console.sock", o->state_dir);
  if (launcher_console_init (&console, o->console, o->console_size, path, &err) < 0)
    {
      snprintf (buf, sizeof (buf), "E%s", err.msg);
      if (write (report[1], buf, strlen (buf)) < 0)
        return 1;
      return 1;
    }
  for (;;)
    {
      started = time (NULL);
      pid = launch_ve (o, &master, &network, &err);
      if (pid < 0)
        {
          if (first)
            {
              snprintf (buf, sizeof (buf), "E%s", err.msg);
              if (write (report[1], buf, strlen (buf)) < 0)
                return 1;
            }
          launcher_write_state (o->state_dir, "failure", err.msg);
          break;
        }
      snprintf (buf, sizeof (buf), "%d\n", network);
      if (network > 0)
        launcher_write_state (o->state_dir, "network.pid", buf);
      snprintf (buf, sizeof (buf), "%d\n", pid);
      launcher_write_state (o->state_dir, "init.pid", buf);
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
      console.master = master;
      pidfd = syscall (SYS_pidfd_open, pid, 0);
      if (pidfd >= 0)
        {
          launcher_console_serve (&console, pidfd);
          close (pidfd);
        }
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      launcher_console_end_run (&console);
      end_process (&network);
      snprintf (buf, sizeof (buf), "%s %d\n", WIFSIGNALED (status) ? "signal" : "exit",
                WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
      launcher_write_state (o->state_dir, "exit", buf);
      snprintf (path, sizeof (path), "%s/stop-requested", o->state_dir);
      /* `reboot` inside ends the pid namespace's init with SIGHUP: start the VE again, as OpenVZ does */
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGHUP && access (path, F_OK) < 0
          && restart_allowed (o, restarts, &n_restarts, time (NULL) - started))
        continue;
      break;
    }
  launcher_console_close (&console);
  /* the VE is gone: so are its (now empty) cgroups and those its init made, also when it powered itself off */
  for (int i = 0; i < o->n_cgroups; i++)
    if (clear_cgroup_of (o->cgroup_procs[i], 1, &err) < 0)
      fprintf (stderr, "cairn-launcher: %s\n", err.msg);
  snprintf (path, sizeof (path), "%s/init.pid", o->state_dir);
  unlink (path);
  snprintf (path, sizeof (path), "%s/supervisor.pid", o->state_dir);
  unlink (path);
  return 0;
}
