/* SPDX-License-Identifier: Apache-2.0 */
/* A VE's console, as LXC's: a terminal of the VE's own devpts whose master the supervisor holds.  Nothing in
   the VE refers to a file of the node, and what the VE prints costs the node at most the log's cap.  */
#define _GNU_SOURCE
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int
launcher_console_open_in_ve (int *slave, launcher_error_t *err)
{
  struct winsize size = { .ws_row = 24, .ws_col = 80 };
  char name[64];
  int master, number;

  master = open ("dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (UNLIKELY (master < 0))
    return launcher_fail (err, errno, "open the VE's terminal multiplexer for its console");
  if (UNLIKELY (ioctl (master, TIOCGPTN, &number) < 0 || unlockpt (master) < 0))
    {
      close (master);
      return launcher_fail (err, errno, "unlock the VE's console terminal");
    }
  ioctl (master, TIOCSWINSZ, &size);
  snprintf (name, sizeof (name), "dev/pts/%d", number);
  *slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (UNLIKELY (*slave < 0))
    {
      close (master);
      return launcher_fail (err, errno, "open the VE's console terminal `%s`", name);
    }
  if (UNLIKELY (launcher_ensure_file ("dev/console", err) < 0))
    return -1;
  if (UNLIKELY (mount (name, "dev/console", NULL, MS_BIND, NULL) < 0))
    return launcher_fail (err, errno, "bind the console terminal on /dev/console");
  /* the init's streams are /dev/console, as on a machine of its own */
  close (*slave);
  *slave = open ("dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (UNLIKELY (*slave < 0))
    return launcher_fail (err, errno, "open the VE's /dev/console");
  return master;
}

static int
open_log (struct launcher_console *c, launcher_error_t *err)
{
  struct stat st;

  c->log = open (c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (UNLIKELY (c->log < 0))
    return launcher_fail (err, errno, "open the console log `%s`", c->log_path);
  /* a log left by an older Cairn (then the VE's root's file) becomes root's */
  if (fchown (c->log, 0, 0) < 0 || fchmod (c->log, 0600) < 0 || fstat (c->log, &st) < 0)
    return launcher_fail (err, errno, "own the console log `%s`", c->log_path);
  c->log_size = st.st_size;
  return 0;
}

int
launcher_console_init (struct launcher_console *c, const char *log_path, long cap, const char *socket_path,
                       launcher_error_t *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  size_t i;

  memset (c, 0, sizeof (*c));
  c->master = c->log = c->listener = -1;
  for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
    c->clients[i] = -1;
  c->cap = cap > 8192 ? cap : 8192;
  if (UNLIKELY (strlen (log_path) >= sizeof (c->log_path) || strlen (socket_path) >= sizeof (addr.sun_path)))
    return launcher_fail (err, ENAMETOOLONG, "the console's socket `%s`", socket_path);
  strcpy (c->log_path, log_path);
  strcpy (c->socket_path, socket_path);
  strcpy (addr.sun_path, socket_path);
  if (open_log (c, err) < 0)
    return -1;
  c->listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (UNLIKELY (c->listener < 0))
    return launcher_fail (err, errno, "socket");
  unlink (socket_path);
  /* root's alone: the mode is set before anyone can connect */
  if (UNLIKELY (bind (c->listener, (struct sockaddr *) &addr, sizeof (addr)) < 0
                || chmod (socket_path, 0600) < 0 || listen (c->listener, 4) < 0))
    return launcher_fail (err, errno, "listen on `%s`", socket_path);
  return 0;
}

/* Keeps at most cap bytes: the current log and the one before it, each up to half of it.  */
static void
write_log (struct launcher_console *c, const char *buf, ssize_t n)
{
  char previous[sizeof (c->log_path) + 2];
  launcher_error_t err;

  if (c->log < 0)
    return;
  if (c->log_size + n > c->cap / 2)
    {
      snprintf (previous, sizeof (previous), "%s.1", c->log_path);
      close (c->log);
      rename (c->log_path, previous);
      if (open_log (c, &err) < 0)
        return;
    }
  if (launcher_write_all (c->log, buf, n) == 0)
    c->log_size += n;
}

static void
drop_client (struct launcher_console *c, int i)
{
  close (c->clients[i]);
  c->clients[i] = -1;
}

static void
copy_output (struct launcher_console *c)
{
  char buf[8192];
  ssize_t n;
  int i;

  for (;;)
    {
      n = read (c->master, buf, sizeof (buf));
      if (n <= 0)
        return;
      write_log (c, buf, n);
      /* a client that cannot keep up loses what it could not take; the VE never waits for it */
      for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
        if (c->clients[i] >= 0 && send (c->clients[i], buf, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN)
          drop_client (c, i);
    }
}

static void
accept_client (struct launcher_console *c)
{
  int fd = accept4 (c->listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK), i;

  if (fd < 0)
    return;
  for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
    if (c->clients[i] < 0)
      {
        c->clients[i] = fd;
        return;
      }
  close (fd);
}

static void
copy_input (struct launcher_console *c, int i)
{
  char buf[4096];
  ssize_t n = read (c->clients[i], buf, sizeof (buf));

  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      drop_client (c, i);
      return;
    }
  /* keys typed while the VE has no console (between two runs) are dropped, as on a real one */
  if (n > 0 && c->master >= 0)
    launcher_write_all (c->master, buf, n);
}

void
launcher_console_serve (struct launcher_console *c, int pidfd)
{
  struct pollfd fds[3 + CONSOLE_MAX_CLIENTS];
  struct timespec quiet_until = { 0, 0 }, now;
  int i, n, timeout;

  if (c->master >= 0)
    fcntl (c->master, F_SETFL, fcntl (c->master, F_GETFL) | O_NONBLOCK);
  for (;;)
    {
      clock_gettime (CLOCK_MONOTONIC, &now);
      /* with no process holding the console open, its master reports a hang-up at every poll: look again a
         moment later, not in a busy loop */
      int quiet = now.tv_sec < quiet_until.tv_sec
                  || (now.tv_sec == quiet_until.tv_sec && now.tv_nsec < quiet_until.tv_nsec);
      fds[0] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
      fds[1] = (struct pollfd){ .fd = c->listener, .events = POLLIN };
      fds[2] = (struct pollfd){ .fd = quiet ? -1 : c->master, .events = POLLIN };
      for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
        fds[3 + i] = (struct pollfd){ .fd = c->clients[i], .events = POLLIN };
      timeout = quiet ? 100 : -1;
      n = poll (fds, 3 + CONSOLE_MAX_CLIENTS, timeout);
      if (n < 0 && errno != EINTR)
        return;
      if (n <= 0)
        continue;
      if (fds[2].revents & POLLIN)
        copy_output (c);
      else if (fds[2].revents & (POLLHUP | POLLERR))
        {
          clock_gettime (CLOCK_MONOTONIC, &quiet_until);
          quiet_until.tv_nsec += 100 * 1000 * 1000;
          if (quiet_until.tv_nsec >= 1000000000L)
            {
              quiet_until.tv_sec++;
              quiet_until.tv_nsec -= 1000000000L;
            }
        }
      if (fds[1].revents & POLLIN)
        accept_client (c);
      for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
        if (c->clients[i] >= 0 && (fds[3 + i].revents & (POLLIN | POLLHUP | POLLERR)))
          copy_input (c, i);
      if (fds[0].revents & POLLIN)
        {
          if (c->master >= 0)
            copy_output (c);
          return;
        }
    }
}

void
launcher_console_end_run (struct launcher_console *c)
{
  if (c->master >= 0)
    close (c->master);
  c->master = -1;
}

void
launcher_console_close (struct launcher_console *c)
{
  int i;

  launcher_console_end_run (c);
  for (i = 0; i < CONSOLE_MAX_CLIENTS; i++)
    if (c->clients[i] >= 0)
      drop_client (c, i);
  if (c->listener >= 0)
    {
      close (c->listener);
      unlink (c->socket_path);
    }
  if (c->log >= 0)
    close (c->log);
}
