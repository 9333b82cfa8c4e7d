/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
