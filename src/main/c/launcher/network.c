/* SPDX-License-Identifier: Apache-2.0 */
/* A VE's network, from the supervisor's side: the engine's script that builds its link, and the process that holds
   its network namespace for the engine.  */
#define _GNU_SOURCE
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The engine's network script (ip, nft) builds the VE's link while its first process waits; its output goes
   to state/network.log, whose last line explains a failure.  */
int
launcher_run_network_hook (struct start_opts *o, const char *pidtext, launcher_error_t *err)
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

/* A process of the supervisor's that sits in the VE's network namespace for the run: the engine reads the VE's
   traffic and changes its addresses through it, never through a process of the VE's (whose init could move
   to another namespace).  It is in the node's pid namespace: nothing in the VE sees or signals it.  */
pid_t
launcher_hold_network (pid_t pid, launcher_error_t *err)
{
  char path[64];
  cleanup_close int ns = -1;
  pid_t keeper;

  snprintf (path, sizeof (path), "/proc/%d/ns/net", pid);
  ns = open (path, O_RDONLY | O_CLOEXEC);
  if (UNLIKELY (ns < 0))
    return launcher_fail (err, errno, "open `%s`", path);
  keeper = fork ();
  if (UNLIKELY (keeper < 0))
    return launcher_fail (err, errno, "fork");
  if (keeper == 0)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (setns (ns, CLONE_NEWNET) < 0)
        _exit (1);
      /* nothing of the supervisor's (the console's socket, the caller's pipe) stays open here */
      syscall (SYS_close_range, 0, ~0U, 0);
      for (;;)
        pause ();
    }
  return keeper;
}
