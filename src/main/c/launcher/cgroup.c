/* SPDX-License-Identifier: Apache-2.0 */
/* A VE's delegated cgroup subtree, as its init leaves it: the cgroups it made, removed deepest first.  */
#define _GNU_SOURCE
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A cgroup whose last task just exited stays busy until the kernel has let it go: a few ms, seldom more.  */
static int
rmdir_patiently (const char *dir)
{
  struct timespec pause = { 0, 5 * 1000 * 1000 };

  for (int attempt = 0; attempt < 400; attempt++)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        return -1;
      nanosleep (&pause, NULL);
    }
  return -1;
}

static int
remove_children (const char *dir, int depth, launcher_error_t *err)
{
  char path[4096];
  struct dirent *entry;
  DIR *d;

  if (depth > 64)
    return launcher_fail (err, ELOOP, "clear the cgroup `%s`", dir);
  d = opendir (dir);
  if (d == NULL)
    return errno == ENOENT ? 0 : launcher_fail (err, errno, "open the cgroup `%s`", dir);
  while ((entry = readdir (d)) != NULL)
    {
      if (entry->d_type != DT_DIR || strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
        continue;
      snprintf (path, sizeof (path), "%s/%s", dir, entry->d_name);
      if (remove_children (path, depth + 1, err) < 0 || rmdir_patiently (path) < 0)
        {
          int saved = errno;
          closedir (d);
          return err->msg[0] != '\0' ? -1 : launcher_fail (err, saved, "remove the cgroup `%s`", path);
        }
    }
  closedir (d);
  return 0;
}

/* "+memory +pids" the init enabled for its children: a cgroup with controllers below takes no process.  */
static int
disable_controllers (const char *dir, launcher_error_t *err)
{
  char path[4096], enabled[512], *name, *save = NULL;
  cleanup_close int fd = -1;
  ssize_t n;

  snprintf (path, sizeof (path), "%s/cgroup.subtree_control", dir);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0; /* a v1 hierarchy: nothing is delegated there */
  n = read (fd, enabled, sizeof (enabled) - 1);
  if (n <= 0)
    return 0;
  enabled[n] = '\0';
  for (name = strtok_r (enabled, " \n", &save); name != NULL; name = strtok_r (NULL, " \n", &save))
    {
      char change[64];
      snprintf (change, sizeof (change), "-%s", name);
      if (launcher_write_file (path, change, err) < 0)
        return -1;
    }
  return 0;
}

int
launcher_cgroup_clear (const char *dir, launcher_error_t *err)
{
  err->msg[0] = '\0';
  if (remove_children (dir, 0, err) < 0)
    return -1;
  return disable_controllers (dir, err);
}

int
launcher_cgroup_remove (const char *dir, launcher_error_t *err)
{
  if (launcher_cgroup_clear (dir, err) < 0)
    return -1;
  /* once: a process the engine placed there (a helper) keeps it, and the engine removes it later */
  if (rmdir (dir) < 0 && errno != ENOENT)
    return launcher_fail (err, errno, "remove the cgroup `%s`", dir);
  return 0;
}
