/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_UTIL_H
#define LAUNCHER_UTIL_H

#include <stddef.h>

#define UNLIKELY(x) __builtin_expect (!!(x), 0)
#define cleanup_close __attribute__ ((cleanup (launcher_close_fd)))

/* An error: what failed, with errno's text.  Functions that can fail return a negative value and fill it. */
typedef struct
{
  char msg[512];
} launcher_error_t;

int launcher_fail (launcher_error_t *err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
void launcher_close_fd (int *fd);
int launcher_write_file (const char *path, const char *content, launcher_error_t *err);
int launcher_ensure_file (const char *path, launcher_error_t *err);
int launcher_ensure_dir (const char *path, launcher_error_t *err);

#include <sys/types.h>

int launcher_write_all (int fd, const char *buf, ssize_t len);

/* A descriptor passed over a unix socket, with a one-byte tag.  */
int launcher_send_fd (int sock, int fd, char tag, launcher_error_t *err);
int launcher_receive_fd (int sock, launcher_error_t *err);

#endif
