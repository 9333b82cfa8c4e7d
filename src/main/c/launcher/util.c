/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int
launcher_fail (launcher_error_t *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  size_t len;

  va_start (ap, fmt);
  vsnprintf (err->msg, sizeof (err->msg), fmt, ap);
  va_end (ap);
  len = strlen (err->msg);
  if (errnum != 0 && len < sizeof (err->msg))
    snprintf (err->msg + len, sizeof (err->msg) - len, ": %s", strerror (errnum));
  return -1;
}

void
launcher_close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
}

int
launcher_write_file (const char *path, const char *content, launcher_error_t *err)
{
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (content);

  if (UNLIKELY (fd < 0))
    return launcher_fail (err, errno, "open `%s`", path);
  if (UNLIKELY (write (fd, content, len) != (ssize_t) len))
    return launcher_fail (err, errno, "write `%s` to `%s`", content, path);
  return 0;
}

int
launcher_ensure_file (const char *path, launcher_error_t *err)
{
  cleanup_close int fd = open (path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

  if (UNLIKELY (fd < 0))
    return launcher_fail (err, errno, "create `%s`", path);
  return 0;
}

int
launcher_ensure_dir (const char *path, launcher_error_t *err)
{
  if (mkdir (path, 0755) < 0 && errno != EEXIST)
    return launcher_fail (err, errno, "mkdir `%s`", path);
  return 0;
}

/* Writes all of buf, through short writes and EINTR. */
int
launcher_write_all (int fd, const char *buf, ssize_t len)
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

/* ---- messages between the supervisor and the VE's first process ---- */

int
launcher_send_fd (int sock, int fd, char tag, launcher_error_t *err)
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

int
launcher_receive_fd (int sock, launcher_error_t *err)
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
