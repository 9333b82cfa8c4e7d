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

/* Joins the namespaces of the VE whose first process is target, in the order given (user first), as its root.
   All are opened before any is joined, as the host's root: a held VE's first process never ran exec, so only
   the host's root may open its namespaces.  */
int
launcher_become_ve_root (pid_t target, const char *const *namespaces, int n, launcher_error_t *err)
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
            launcher_write_all (master, buf, n);
          else if (n == 0 || errno != EINTR)
            fds[0].fd = -1; /* input ended: keep showing output until the command exits */
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = read (master, buf, sizeof (buf));
          if (n <= 0 && errno != EINTR)
            return; /* EIO: the last holder of the terminal has gone */
          if (n > 0 && launcher_write_all (1, buf, n) < 0)
            return;
        }
    }
}

int
launcher_cmd_exec (pid_t target, int tty, const char *size_file, const char **cgroup_procs, int n_cgroups,
                   char *const *env, int n_env, int nesting, char **argv)
{
  static const char *const namespaces[] = { "user", "ipc", "uts", "net", "pid", "cgroup", "time", "mnt" };
  launcher_error_t err;
  char self[32];
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
  if (launcher_become_ve_root (target, namespaces, sizeof (namespaces) / sizeof (namespaces[0]), &err) < 0)
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
      /* the VE's fixed environment and what the caller named (TERM, say): nothing else of the node's */
      clearenv ();
      for (i = 0; launcher_ve_environment[i] != NULL; i++)
        putenv (launcher_ve_environment[i]);
      for (i = 0; i < n_env; i++)
        putenv (env[i]);
      /* a session of the VE's own, whose leader is in the VE: a checkpoint (CRIU) refuses a session led from
         outside the VE's pid namespace */
      if (setsid () < 0)
        _exit (126);
      if (tty)
        {
          if (ioctl (slave, TIOCSCTTY, 0) < 0 || dup2 (slave, 0) < 0 || dup2 (slave, 1) < 0 || dup2 (slave, 2) < 0)
            _exit (126);
        }
      if (chdir ("/root") < 0 && chdir ("/") < 0)
        _exit (127);
      if (launcher_drop_capabilities (&err) < 0 || launcher_load_seccomp (nesting, &err) < 0)
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
  /* the command has a session of its own: a ^C on the caller's terminal reaches it through here */
  signal (SIGINT, forward_signal);
  signal (SIGQUIT, forward_signal);
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

/* Sets a running VE's live host name from the node's side: the VE's own `hostname` program is never run on the
   node's behalf (a VE could replace it with one that never ends).  */
int
launcher_cmd_sethostname (pid_t target, const char *name)
{
  static const char *const namespaces[] = { "user", "uts" };
  launcher_error_t err;

  if (launcher_become_ve_root (target, namespaces, 2, &err) < 0)
    goto fail;
  if (sethostname (name, strlen (name)) < 0)
    {
      launcher_fail (&err, errno, "set the host name `%s`", name);
      goto fail;
    }
  return 0;

fail:
  fprintf (stderr, "cairn-launcher: %s\n", err.msg);
  return 1;
}
